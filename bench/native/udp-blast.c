/*
 * udp-blast: the bench's native UDP ends, to find what this machine's loopback can carry at all.
 *   udp-blast send PORT RATE SECONDS FILE   offers the datagrams in FILE (each a 4-byte big-endian length, then
 *                                           the bytes) to 127.0.0.1:PORT in a cycle, RATE a second (0: as fast
 *                                           as it can), with sendmmsg; prints "sent N errors E seconds S
 *                                           cpu C" (E: datagrams of batches the kernel refused, not in N)
 *   udp-blast sink PORT SECONDS             receives with recvmmsg and does nothing else; prints
 *                                           "received N seconds S cpu C"
 * Node has neither call; the JS sender stops near 150,000 datagrams/s here, below the rates the issue asks about.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define BATCH 32
#define MAX_DATAGRAM 65536

static double now(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return t.tv_sec + t.tv_nsec / 1e9;
}

static double cpu(void) {
  struct rusage u;
  getrusage(RUSAGE_SELF, &u);
  return u.ru_utime.tv_sec + u.ru_utime.tv_usec / 1e6 + u.ru_stime.tv_sec + u.ru_stime.tv_usec / 1e6;
}

static int fail(const char *what) {
  perror(what);
  return 1;
}

static int blast(int port, double rate, double seconds, const char *path) {
  FILE *f = fopen(path, "rb");
  if (!f) return fail(path);
  size_t cap = 1024, n = 0;
  struct iovec *iov = malloc(cap * sizeof *iov);
  unsigned char len[4];
  while (fread(len, 1, 4, f) == 4) {
    size_t l = (size_t)len[0] << 24 | len[1] << 16 | len[2] << 8 | len[3];
    if (n == cap) iov = realloc(iov, (cap *= 2) * sizeof *iov);
    iov[n].iov_base = malloc(l);
    iov[n].iov_len = l;
    if (fread(iov[n].iov_base, 1, l, f) != l) return fail("short payload file");
    n++;
  }
  fclose(f);
  if (n == 0) return fail("empty payload file");
  int s = socket(AF_INET, SOCK_DGRAM, 0);
  struct sockaddr_in to = {.sin_family = AF_INET, .sin_port = htons(port)};
  inet_pton(AF_INET, "127.0.0.1", &to.sin_addr);
  if (connect(s, (struct sockaddr *)&to, sizeof to) < 0) return fail("connect");
  struct mmsghdr msgs[BATCH];
  memset(msgs, 0, sizeof msgs);
  long total = rate > 0 ? (long)(rate * seconds) : -1, offered = 0, sent = 0, errors = 0, next = 0;
  double c0 = cpu(), t0 = now(), elapsed = 0;
  while (elapsed < seconds && (total < 0 || offered < total)) {
    elapsed = now() - t0;
    long due = total < 0 ? offered + BATCH : (long)(rate * elapsed);
    if (total >= 0 && due > total) due = total;
    if (due <= offered) {
      struct timespec nap = {0, 200000};
      nanosleep(&nap, NULL);
      continue;
    }
    int k = due - offered < BATCH ? (int)(due - offered) : BATCH;
    for (int i = 0; i < k; i++) {
      msgs[i].msg_hdr.msg_iov = &iov[(next + i) % n];
      msgs[i].msg_hdr.msg_iovlen = 1;
    }
    int r = sendmmsg(s, msgs, k, 0);
    // A refused batch (ECONNREFUSED when no one listens, ENOBUFS) is offered and counted, not retried, as the
    // JS sender does; a partial one goes on from the first datagram not sent.
    int done = r < 0 ? k : r;
    if (r < 0) errors += k;
    else sent += r;
    offered += done;
    next = (next + done) % n;
  }
  printf("sent %ld errors %ld seconds %.3f cpu %.3f\n", sent, errors, now() - t0, cpu() - c0);
  return 0;
}

static int sink(int port, double seconds) {
  int s = socket(AF_INET, SOCK_DGRAM, 0);
  int buf = 8 << 20;
  setsockopt(s, SOL_SOCKET, SO_RCVBUF, &buf, sizeof buf);
  struct sockaddr_in at = {.sin_family = AF_INET, .sin_port = htons(port)};
  inet_pton(AF_INET, "127.0.0.1", &at.sin_addr);
  if (bind(s, (struct sockaddr *)&at, sizeof at) < 0) return fail("bind");
  struct timeval tick = {0, 100000};
  setsockopt(s, SOL_SOCKET, SO_RCVTIMEO, &tick, sizeof tick);
  static unsigned char bufs[BATCH][MAX_DATAGRAM];
  struct iovec iov[BATCH];
  struct mmsghdr msgs[BATCH];
  memset(msgs, 0, sizeof msgs);
  for (int i = 0; i < BATCH; i++) {
    iov[i].iov_base = bufs[i];
    iov[i].iov_len = MAX_DATAGRAM;
    msgs[i].msg_hdr.msg_iov = &iov[i];
    msgs[i].msg_hdr.msg_iovlen = 1;
  }
  long received = 0;
  double c0 = cpu(), t0 = now();
  while (now() - t0 < seconds) {
    int r = recvmmsg(s, msgs, BATCH, 0, NULL);
    if (r > 0) received += r;
  }
  printf("received %ld seconds %.3f cpu %.3f\n", received, now() - t0, cpu() - c0);
  return 0;
}

int main(int argc, char **argv) {
  if (argc == 6 && !strcmp(argv[1], "send")) return blast(atoi(argv[2]), atof(argv[3]), atof(argv[4]), argv[5]);
  if (argc == 4 && !strcmp(argv[1], "sink")) return sink(atoi(argv[2]), atof(argv[3]));
  fprintf(stderr, "usage: udp-blast send PORT RATE SECONDS FILE | udp-blast sink PORT SECONDS\n");
  return 2;
}
