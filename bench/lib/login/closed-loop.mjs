// The load driver of bench/login-ceiling.mjs, the same for both servers: autocannon with a fixed
// number of connections, each sending its next login as soon as the last one is answered (a
// closed loop), for exactly `amount` logins. Every answer is checked: 200 and a TOTP success in
// the body, or it is counted as a failure and the first few are kept to show.
import autocannon from 'autocannon';

/**
 * `POST /mfa/verify` at `origin`. `next()` gives each request its `{ userId, code }`. Resolves
 * `{ amount, ok, failures, examples, errors, timeouts, seconds, loginsPerSecond }`; the time runs
 * from the first request built to the last answer.
 */
export async function closedLoop(origin, { amount, connections, next }) {
  let firstAt = 0n;
  let lastAt = 0n;
  let ok = 0;
  let failures = 0;
  const examples = [];
  const result = await autocannon({
    url: origin,
    connections,
    amount,
    timeout: 30,
    skipAggregateResult: true,
    requests: [
      {
        method: 'POST',
        path: '/mfa/verify',
        setupRequest(request, context) {
          if (firstAt === 0n) firstAt = process.hrtime.bigint();
          const { userId, code } = next();
          // The connection's request in flight, to name it when its answer is not a success.
          context.login = `${userId} ${code}`;
          return {
            ...request,
            headers: { 'content-type': 'application/json', 'totpkit-protocol': '1', 'x-test-user': userId },
            body: JSON.stringify({ code }),
          };
        },
        onResponse(status, body, context) {
          lastAt = process.hrtime.bigint();
          if (status === 200 && body.includes('"method":"totp"')) ok++;
          else {
            failures++;
            if (examples.length < 3) examples.push(`${context.login}: ${status} ${body.slice(0, 200)}`);
          }
        },
      },
    ],
  });
  const seconds = Number(lastAt - firstAt) / 1e9;
  return {
    amount,
    ok,
    failures,
    examples,
    errors: result.errors,
    timeouts: result.timeouts,
    seconds,
    loginsPerSecond: ok / seconds,
  };
}
