import { createServer } from 'node:net';

/** The preferred port when it is free, otherwise any free one (0 asks for any free one). */
export async function freePort(preferred: number): Promise<number> {
  const tryPort = (port: number) =>
    new Promise<number | null>((resolve) => {
      const srv = createServer();
      srv.once('error', () => resolve(null));
      srv.listen(port, '127.0.0.1', () => {
        const { port: got } = srv.address() as { port: number };
        srv.close(() => resolve(got));
      });
    });
  return (preferred > 0 ? await tryPort(preferred) : null) ?? (await tryPort(0))!;
}
