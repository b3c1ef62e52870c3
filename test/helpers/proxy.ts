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

export async function startRewritingProxy(
  target: string,
  rewrite: (path: string, body: unknown) => unknown,
): Promise<RewritingProxy> {
  const upstream = new URL(target);
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
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
            let text = Buffer.concat(parts).toString('utf8');
            if ((answer.statusCode ?? 500) < 300 && text) {
              text = JSON.stringify(rewrite(path, JSON.parse(text)));
            }
            const headers = {
              ...answer.headers,
              'content-length': String(Buffer.byteLength(text)),
            };
            res.writeHead(answer.statusCode ?? 500, headers);
            res.end(text);
          });
        },
      );
      forward.end(Buffer.concat(chunks));
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
