import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * An HTTP proxy on 127.0.0.1 in front of the emulator that rewrites chosen JSON responses, to
 * play an endpoint that answers differently (for example search results without flow content)
 * while the client still goes through the real SDK over HTTP.
 */
export interface RewritingProxy {
  url: string;
  stop(): Promise<void>;
}

/** Gets the request's path and the answer's JSON body; returns the body to send instead. */
export type Rewrite = (path: string, answer: unknown) => unknown;

export async function startRewritingProxy(
  target: string,
  rewrite: Rewrite,
): Promise<RewritingProxy> {
  const upstream = new URL(target);
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const sent = Buffer.concat(chunks);
      const forward = request(
        {
          host: upstream.hostname,
          port: upstream.port,
          method: req.method,
          path: req.url,
          headers: req.headers,
        },
        (answer) => {
          const parts: Buffer[] = [];
          answer.on('data', (chunk: Buffer) => parts.push(chunk));
          answer.on('end', () => {
            const path = (req.url ?? '/').split('?')[0];
            const status = answer.statusCode ?? 500;
            let text = Buffer.concat(parts).toString('utf8');
            if (status < 300 && text) {
              text = JSON.stringify(rewrite(path, JSON.parse(text)));
            }
            const length = String(Buffer.byteLength(text));
            res.writeHead(status, { ...answer.headers, 'content-length': length });
            res.end(text);
          });
        },
      );
      forward.end(sent);
    });
  });
  server.keepAliveTimeout = 1000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    stop: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
