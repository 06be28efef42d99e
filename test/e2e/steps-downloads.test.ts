// The download steps end to end: the real CLI runs their feature on Playwright and Selenium against a real page.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { startPageServer, type PageServer } from "../conformance/server";
import { failedAs, outcomesOnBothDrivers } from "../helpers/step-outcomes";

let server: PageServer;
before(async () => {
  server = await startPageServer();
});
after(() => server.close());

test("downloads: checked by name and text, waited for, kept to their scenario; failures name what was downloaded", async () => {
  const [pw] = await outcomesOnBothDrivers("test/fixtures/steps/downloads.feature", server.origin);
  const passed = (name: string) => assert.equal(pw.get(name)?.status, "passed", `${name}: ${pw.get(name)?.error}`);
  const failed = failedAs(pw);
  passed("A link with download, an attachment and a page script's file are checked by name and text");
  passed("A download still under way is waited for");
  failed(
    "A scenario sees only its own downloads, and a check with none says so",
    "SignoffAssertionError",
    "AssertionError: expected a file to have been downloaded, no file was downloaded in this scenario (waited 5000 ms)",
  );
  failed(
    "A file that was not downloaded is named beside the files that were",
    "SignoffAssertionError",
    'AssertionError: expected the file "report.xlsx" to have been downloaded, the files downloaded in this scenario are "report.csv", "invoice-42.pdf" (waited 5000 ms)',
  );
  failed(
    "Text the file lacks is quoted with the file's beginning",
    "SignoffAssertionError",
    'AssertionError: expected the downloaded file to contain "Invoice 44", "report.csv" does not (83 bytes): "Invoice,Customer,Amount\\nInvoice 42,Ada Lovelace,12.00\\nInvoice 43,Grace Hopper,7."… (waited 5000 ms)',
  );
  failed(
    "A download the browser gave up is reported so, at once",
    "SignoffAssertionError",
    'AssertionError: expected the file "broken.bin" to have been downloaded, the browser canceled it (the download was cancelled, or its transfer failed); the file downloaded in this scenario is "broken.bin" (canceled)',
  );
  failed(
    "A huge file is read up to 10 MiB, and a failure says so",
    "SignoffAssertionError",
    'AssertionError: expected the downloaded file "huge.txt" to contain "THE END", the first 10 MiB of "huge.txt" do not contain it (the file is larger, and only that much of it is read); it begins "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"… (waited 5000 ms)',
  );
});
