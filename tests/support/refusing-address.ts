/**
 * A loopback port where nothing listens, and nothing will while the tests run: port 1 is a
 * privileged port the kernel never hands out for `listen(0)`, so a connection to it is refused.
 * A port taken with `listen(0)` and closed again is not such a port: on a busy machine another
 * test's server may be given it moments later, and the "refusing" port then accepts.
 */
export const refusingPort = 1;
/** An HTTP address on that port: an admin API, a proxy or a server that is not there. */
export const refusingUrl = `http://127.0.0.1:${refusingPort}`;
