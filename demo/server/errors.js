// The last word on every error: a short page (or JSON for a client that asked for JSON) with the
// status and a sentence, never a stack trace, a file path or a library's message, whatever
// NODE_ENV says. Express's own handler prints stacks unless NODE_ENV is production.
//
// Errors that carry a 4xx status (a body parser's 413/415/400, static files' 404 and 403, a URL
// that does not decode, the demo's own refusals) are the client's: answered, not logged. Anything
// else (a locked database, a store that is down, a bug) is logged once, with the request id that
// the page also shows, so a user's report can be matched to the log line.

const TEXTS = {
  400: 'The request could not be read.',
  403: 'This request is not allowed.',
  404: 'There is nothing here.',
  405: 'This method is not allowed here.',
  413: 'The request is too large.',
  415: 'This kind of content is not accepted here.',
  429: 'Too many attempts.',
  500: 'Something went wrong on our side.',
};

/** The page renderer is passed in: pages.js knows the layout. */
export function errorHandler({ render, log = console.error }) {
  // Express recognises an error handler by its four parameters.
  return (error, req, res, _next) => {
    const client = Number.isInteger(error?.status) && error.status >= 400 && error.status < 500;
    const status = client ? error.status : 500;
    if (!client) log(`demo: request ${req.id} (${req.method} ${req.path}) failed:`, error);
    if (res.headersSent) {
      res.destroy();
      return;
    }
    // Only the demo's own refusals carry a sentence for people; libraries' messages are not shown.
    const message = (client && error.publicMessage) || TEXTS[status] || TEXTS[400];
    const requestId = client ? null : req.id;
    res.status(status).set('Cache-Control', 'no-store');
    if (error.retryAfterSeconds) res.set('Retry-After', String(error.retryAfterSeconds));
    // Static files set their own headers before failing; an error page is neither cached nor typed as them.
    res.removeHeader('Content-Disposition');
    if (req.accepts(['html', 'json']) === 'json') {
      res.json({ error: { status, message, ...(requestId ? { requestId } : {}) } });
    } else {
      res.type('html').send(render({ status, message, requestId, session: req.session }));
    }
  };
}
