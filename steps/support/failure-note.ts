// A check's failure sentence with a note put after it, when the check failed as the product's (the page answered, and wrongly).
import { SignoffAssertionError } from "../../src/core/errors";
import { restate } from "../../src/core/user-stack";

/**
 * Waits for `waiting`, a check whose failure sentence (`describeFailure`'s last one) `said()` returns. When it fails as
 * the product's and its message starts with that sentence, `note(sentence)` may give words to put right after it
 * (before the "(waited … ms)" that follows); the failure is then thrown with them. A failure of another kind (an
 * element phrase the page cannot answer, staging gone), no note, or a note that throws leaves the failure as it is.
 */
export async function notingAfterTheSentence(
  said: () => string | undefined,
  waiting: Promise<unknown>,
  note: (sentence: string) => Promise<string | undefined>,
): Promise<void> {
  try {
    await waiting;
  } catch (err) {
    const sentence = said();
    if (!(err instanceof SignoffAssertionError) || sentence === undefined || !err.message.startsWith(sentence))
      throw err;
    const words = await note(sentence).catch(() => undefined);
    if (words !== undefined) restate(err, `${sentence}${words}${err.message.slice(sentence.length)}`);
    throw err;
  }
}
