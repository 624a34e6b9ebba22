/** Whether a TCP port on 127.0.0.1 can be listened on now (the configured API server port may be taken). Plain Node. */
import * as net from 'node:net';

export function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}
