import http from 'node:http';
import net from 'node:net';

/** A connection still idle this long after the stop began is closed (the proxy reused none). */
const IDLE_GRACE_MS = 1_000;
/** Past this, whatever is still open is cut: orchestrators kill the process soon after (30 s). */
const DRAIN_LIMIT_MS = 20_000;

export interface DrainingServer {
  server: http.Server;
  /**
   * Stops taking connections and lets every request already sent be answered: resolves once the
   * last connection has closed.
   */
  drain(): Promise<void>;
}

/**
 * The HTTP server, made to stop without losing a request. Node's own server.close() destroys the
 * keep-alive connections that look idle at once, among them those on which the proxy has just sent
 * a request the server has not read yet: that request is cut (nginx tries a GET again elsewhere,
 * never a POST). Here, once stopping: the port closes (new connections go to another instance),
 * every answer not yet begun says `Connection: close` so each connection ends cleanly after it,
 * and /readyz answers 503. Only connections still idle a moment later are closed.
 */
export function drainingServer(
  options: http.ServerOptions,
  handler: http.RequestListener,
): DrainingServer {
  let draining = false;
  // Answers not started yet when the stop begins say `Connection: close` too.
  const unanswered = new Set<http.ServerResponse>();
  const server = http.createServer(options, (req, res) => {
    unanswered.add(res);
    res.once('close', () => unanswered.delete(res));
    if (draining) {
      res.setHeader('Connection', 'close');
      if (req.url === '/readyz') {
        res.writeHead(503, { 'Content-Type': 'application/json', 'Cache-Control': 'no-store' });
        res.end(JSON.stringify({ status: 'stopping' }));
        return;
      }
    }
    handler(req, res);
  });
  return {
    server,
    drain() {
      draining = true;
      for (const res of unanswered) if (!res.headersSent) res.setHeader('Connection', 'close');
      // net.Server's close, not http.Server's: it stops listening without destroying connections.
      const closed = new Promise<void>((resolve) =>
        net.Server.prototype.close.call(server, () => resolve()),
      );
      const idle = setTimeout(() => server.closeIdleConnections(), IDLE_GRACE_MS);
      const limit = setTimeout(() => server.closeAllConnections(), DRAIN_LIMIT_MS);
      return closed.finally(() => {
        clearTimeout(idle);
        clearTimeout(limit);
      });
    },
  };
}
