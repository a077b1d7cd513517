import type { Server } from 'node:http';
import type { Socket } from 'node:net';
import type { FastifyInstance } from 'fastify';

/**
 * Closes a listening app as a collector stops: requests under way finish (their commits included),
 * and every other connection is closed at once. Node's own closeIdleConnections() leaves out a
 * connection a client opened ahead and has not used yet (browsers and fetch do this): the close then
 * waited for the 60 s headers timeout. So connections are counted from the start, each with its
 * requests in flight, and those with none (kept alive after a reply, or never sent a byte) are
 * ended every 50 ms until the app has closed.
 */
export function gracefulClose(app: FastifyInstance): () => Promise<void> {
  // Per connection: its requests in flight, and whether one ever came (a connection that has read
  // bytes but not yet a whole request head is left to finish it).
  const inFlight = new Map<Socket, number>();
  const used = new WeakSet<Socket>();
  const server: Server = app.server;
  server.on('connection', (socket: Socket) => {
    inFlight.set(socket, 0);
    socket.once('close', () => inFlight.delete(socket));
  });
  server.on('request', (request, reply) => {
    const socket = request.socket;
    used.add(socket);
    inFlight.set(socket, (inFlight.get(socket) ?? 0) + 1);
    reply.once('close', () => {
      if (inFlight.has(socket)) inFlight.set(socket, inFlight.get(socket)! - 1);
    });
  });
  return async () => {
    const endUnused = () => {
      for (const [socket, requests] of inFlight) {
        if (requests === 0 && (used.has(socket) || socket.bytesRead === 0)) socket.destroy();
      }
    };
    const sweep = setInterval(endUnused, 50);
    try {
      const closed = app.close();
      endUnused();
      await closed;
    } finally {
      clearInterval(sweep);
    }
  };
}
