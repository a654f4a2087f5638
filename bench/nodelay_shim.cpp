// LD_PRELOAD shim for one "what if" row of bench/run.sh, never for production: sets TCP_NODELAY
// on every socket the server accepts. whygo's HTTP server (cpp-httplib, whose default is
// CPPHTTPLIB_TCP_NODELAY false) writes a response's headers and body in two send()s; with Nagle's
// algorithm on, the body waits for the client's delayed ACK (about 40 ms on Linux) on every
// keep-alive request. The row shows what the one-line fix (Server::set_tcp_nodelay(true)) would
// give, measured without changing the service.
#include <dlfcn.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>

namespace {
void no_delay(int fd) {
  if (fd < 0) return;
  const int one = 1;
  ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);  // fails harmlessly on non-TCP
}
}  // namespace

extern "C" int accept(int fd, sockaddr* addr, socklen_t* len) {
  using Fn = int (*)(int, sockaddr*, socklen_t*);
  static const Fn real = reinterpret_cast<Fn>(dlsym(RTLD_NEXT, "accept"));
  const int client = real(fd, addr, len);
  no_delay(client);
  return client;
}

extern "C" int accept4(int fd, sockaddr* addr, socklen_t* len, int flags) {
  using Fn = int (*)(int, sockaddr*, socklen_t*, int);
  static const Fn real = reinterpret_cast<Fn>(dlsym(RTLD_NEXT, "accept4"));
  const int client = real(fd, addr, len, flags);
  no_delay(client);
  return client;
}
