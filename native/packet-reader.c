/*
 * packet-reader: the pcap packet sampling end of `sflowkit agent`, as hsflowd's mod_pcap does it with the
 * sampling in the kernel: a classic BPF filter on an AF_PACKET socket draws a random number for each packet
 * on the device and passes 1 in N, cut to COPY_BYTES, so the other N - 1 never leave the kernel. No libpcap:
 * the filter is set on the socket directly, as hsflowd does too (SKF_AD_RANDOM does not survive libpcap's
 * filter compiler). https://docs.kernel.org/networking/filter.html
 *
 *   packet-reader IFNAME SAMPLING_N COPY_BYTES [promisc]
 *
 * Each record: u32 length of what follows, u32 ifindex, u16 packet type (sll_pkttype: 0 to this host,
 * 1 broadcast, 2 multicast, 3 to another host, 4 outgoing), u16 link type (sll_hatype, ARPHRD_*), u32 the
 * frame's length on the wire (without FCS), u32 bytes captured, then the frame from its link header, at most
 * COPY_BYTES. A VLAN tag the NIC took off (offload) is put back, as libpcap does, so the header is the frame
 * as sent. Host byte order (little-endian here).
 * Once a second the socket's drop count is read (PACKET_STATISTICS, which resets it); when it grew, a record
 * of length 0xFFFFFFFF and a u32 body, the total dropped since the start, tells the agent. Exits on a write
 * error (the agent went away), and with status 1 when the device is removed.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <linux/filter.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <net/if.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define BUF_BYTES (1 << 16)
#define VLAN_BYTES 4

static int fail(const char *what) {
  fprintf(stderr, "packet-reader: %s: %s\n", what, strerror(errno));
  return 1;
}

static int put(const void *data, size_t size) { return fwrite(data, 1, size, stdout) == size ? 0 : -1; }

static double now(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return t.tv_sec + t.tv_nsec / 1e9;
}

/* Adds what the kernel dropped since the last call to *total; writes a drop record if that grew. */
static int report_drops(int fd, uint32_t *total) {
  struct tpacket_stats st;
  socklen_t len = sizeof st;
  if (getsockopt(fd, SOL_PACKET, PACKET_STATISTICS, &st, &len) < 0 || st.tp_drops == 0) return 0;
  *total += st.tp_drops;
  uint32_t marker = 0xFFFFFFFF;
  if (put(&marker, 4) < 0 || put(total, 4) < 0 || fflush(stdout) != 0) return -1;
  return 0;
}

int main(int argc, char **argv) {
  if (argc < 4 || argc > 5 || (argc == 5 && strcmp(argv[4], "promisc") != 0)) {
    fprintf(stderr, "usage: packet-reader IFNAME SAMPLING_N COPY_BYTES [promisc]\n");
    return 2;
  }
  const char *dev = argv[1];
  long n = atol(argv[2]);
  long copy = atol(argv[3]);
  if (n < 1 || copy < 14 || copy > BUF_BYTES - VLAN_BYTES) {
    fprintf(stderr, "packet-reader: SAMPLING_N must be at least 1, COPY_BYTES from 14 to %d\n",
            BUF_BYTES - VLAN_BYTES);
    return 2;
  }
  unsigned ifindex = if_nametoindex(dev);
  if (ifindex == 0) return fail(dev);

  /* Protocol 0 until bind: a socket made with ETH_P_ALL would queue every device's packets, unfiltered,
     in the moment before the filter and the binding are in place. */
  int fd = socket(AF_PACKET, SOCK_RAW, 0);
  if (fd < 0) return fail("socket");
  int rcvbuf = 1 << 22;
  setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof rcvbuf);
  /* ld random; mod #N; pass COPY_BYTES when 0, else nothing. hsflowd passes on 1 instead; any one residue
     is 1 in N. */
  struct sock_filter code[] = {
      BPF_STMT(BPF_LD | BPF_W | BPF_ABS, (uint32_t)(SKF_AD_OFF + SKF_AD_RANDOM)),
      BPF_STMT(BPF_ALU | BPF_MOD | BPF_K, (uint32_t)n),
      BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 0, 0, 1),
      BPF_STMT(BPF_RET | BPF_K, (uint32_t)copy),
      BPF_STMT(BPF_RET | BPF_K, 0),
  };
  struct sock_fprog prog = {.len = sizeof code / sizeof code[0], .filter = code};
  if (setsockopt(fd, SOL_SOCKET, SO_ATTACH_FILTER, &prog, sizeof prog) < 0) return fail("attach the filter");
  /* The frame's length before the filter cut it, and the VLAN tag the NIC stripped, come as auxdata. */
  int on = 1;
  if (setsockopt(fd, SOL_PACKET, PACKET_AUXDATA, &on, sizeof on) < 0) return fail("PACKET_AUXDATA");
  struct sockaddr_ll local = {.sll_family = AF_PACKET, .sll_protocol = htons(ETH_P_ALL), .sll_ifindex = ifindex};
  if (bind(fd, (struct sockaddr *)&local, sizeof local) < 0) return fail("bind");
  if (argc == 5) {
    struct packet_mreq mr = {.mr_ifindex = ifindex, .mr_type = PACKET_MR_PROMISC};
    if (setsockopt(fd, SOL_PACKET, PACKET_ADD_MEMBERSHIP, &mr, sizeof mr) < 0) return fail("promisc");
  }
  /* Statistics so far counted nothing we asked for: start from zero. */
  struct tpacket_stats st;
  socklen_t stlen = sizeof st;
  getsockopt(fd, SOL_PACKET, PACKET_STATISTICS, &st, &stlen);
  fprintf(stderr, "packet-reader: %s (ifindex %u) bound, 1 in %ld\n", dev, ifindex, n);

  static unsigned char buf[BUF_BYTES];
  uint32_t dropped = 0;
  double last = now();
  for (;;) {
    struct pollfd p = {.fd = fd, .events = POLLIN};
    if (poll(&p, 1, 1000) < 0 && errno != EINTR) return fail("poll");
    /* Everything queued, then one flush: the agent gets what the kernel had in one write. */
    for (;;) {
      struct sockaddr_ll from;
      union {
        struct cmsghdr h;
        char space[CMSG_SPACE(sizeof(struct tpacket_auxdata))];
      } control;
      /* Read past the room for a VLAN tag, so that putting it back is a move, not a copy. */
      struct iovec iov = {.iov_base = buf + VLAN_BYTES, .iov_len = sizeof buf - VLAN_BYTES};
      struct msghdr msg = {.msg_name = &from,
                           .msg_namelen = sizeof from,
                           .msg_iov = &iov,
                           .msg_iovlen = 1,
                           .msg_control = &control,
                           .msg_controllen = sizeof control};
      ssize_t got = recvmsg(fd, &msg, MSG_DONTWAIT);
      if (got < 0) {
        if (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR) break;
        if (errno == ENETDOWN) continue;
        return fail("recv");
      }
      uint32_t wire = (uint32_t)got;
      unsigned char *frame = buf + VLAN_BYTES;
      uint32_t captured = (uint32_t)got;
      for (struct cmsghdr *c = CMSG_FIRSTHDR(&msg); c; c = CMSG_NXTHDR(&msg, c)) {
        if (c->cmsg_level != SOL_PACKET || c->cmsg_type != PACKET_AUXDATA) continue;
        struct tpacket_auxdata aux;
        memcpy(&aux, CMSG_DATA(c), sizeof aux);
        wire = aux.tp_len;
        if ((aux.tp_status & TP_STATUS_VLAN_VALID) && captured >= 12) {
          uint16_t tpid = htons((aux.tp_status & TP_STATUS_VLAN_TPID_VALID) ? aux.tp_vlan_tpid : ETH_P_8021Q);
          uint16_t tci = htons(aux.tp_vlan_tci);
          memmove(buf, frame, 12);
          frame = buf;
          memcpy(frame + 12, &tpid, 2);
          memcpy(frame + 14, &tci, 2);
          wire += VLAN_BYTES;
          captured += VLAN_BYTES;
        }
      }
      if (captured > (uint32_t)copy) captured = (uint32_t)copy;
      uint32_t index = (uint32_t)from.sll_ifindex;
      uint16_t type = from.sll_pkttype;
      uint16_t hatype = from.sll_hatype;
      uint32_t length = 4 + 2 + 2 + 4 + 4 + captured;
      if (put(&length, 4) < 0 || put(&index, 4) < 0 || put(&type, 2) < 0 || put(&hatype, 2) < 0 ||
          put(&wire, 4) < 0 || put(&captured, 4) < 0 || put(frame, captured) < 0)
        return 0;
    }
    if (fflush(stdout) != 0) return 0;
    double t = now();
    if (t - last >= 1) {
      last = t;
      if (report_drops(fd, &dropped) < 0) return 0;
      /* A removed device leaves the socket silent, not failed: say so, and let the agent decide. */
      if (if_nametoindex(dev) != ifindex) {
        fprintf(stderr, "packet-reader: %s (ifindex %u) is gone\n", dev, ifindex);
        return 1;
      }
    }
  }
}
