// Preloaded (NODE_OPTIONS=--import) into processes a test starts that run third-party code — Hexo themes
// from npm, some of which ask a server of theirs for the latest version at start-up: a connection to
// anything but loopback fails at once with ECONNREFUSED, before any DNS lookup, so tests never leave the
// machine.
import net from 'node:net';

const LOOPBACK = /^(?:127\.\d+\.\d+\.\d+|::1|localhost|\[::1\])$/i;
const connect = net.Socket.prototype.connect;

net.Socket.prototype.connect = function (...args) {
  const first = args[0];
  const options =
    first && typeof first === 'object' && !Array.isArray(first)
      ? first
      : { port: first, host: typeof args[1] === 'string' ? args[1] : undefined };
  if (options.path === undefined && options.host !== undefined && !LOOPBACK.test(String(options.host))) {
    const error = Object.assign(new Error(`connect ECONNREFUSED ${options.host} (tests reach loopback only)`), { code: 'ECONNREFUSED' });
    process.nextTick(() => this.destroy(error));
    return this;
  }
  return connect.apply(this, args);
};
