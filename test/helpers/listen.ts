// A test's HTTP server listening on 127.0.0.1 at a free port (tests never listen beyond this machine), and its origin.
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";

/** Starts `server` on 127.0.0.1 at a port the system picks; answers its origin, e.g. http://127.0.0.1:43121. */
export async function listenLocal(server: Server): Promise<string> {
  await new Promise<void>((ready) => server.listen(0, "127.0.0.1", ready));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}
