import type http from 'node:http';

/**
 * The bilingual page for requests the HTTP parser refuses before Express runs (431, 400),
 * written straight to the socket.
 */
function badRequestPage(status: 400 | 431): string {
  const body = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Bad request / Requête incorrecte</title></head>
<body><main>
<section lang="en"><h1>We could not read this request</h1><p>The address is too long or malformed. <a href="/en">Go to the home page</a>.</p></section>
<section lang="fr"><h1>Nous n’avons pas pu lire cette requête</h1><p>L’adresse est trop longue ou mal formée. <a href="/fr">Aller à la page d’accueil</a>.</p></section>
</main></body></html>`;
  const reason = status === 431 ? 'Request Header Fields Too Large' : 'Bad Request';
  return [
    `HTTP/1.1 ${status} ${reason}`,
    'Content-Type: text/html; charset=utf-8',
    `Content-Length: ${Buffer.byteLength(body)}`,
    'Connection: close',
    '',
    body,
  ].join('\r\n');
}

/** Requests Node refuses before Express sees them (e.g. a huge query string) still get a page. */
export function answerClientErrors(server: http.Server): void {
  server.on('clientError', (error: NodeJS.ErrnoException, socket) => {
    if (!socket.writable) return socket.destroy();
    socket.end(badRequestPage(error.code === 'HPE_HEADER_OVERFLOW' ? 431 : 400));
  });
}
