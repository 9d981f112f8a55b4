/*
 * nflog-reader: the packet sampling end of `sflowkit agent`, the modern form of hsflowd's ULOG method. The
 * kernel samples (iptables/nftables `statistic` or `numgen` matches sending to an NFLOG group); this program
 * binds that group over nfnetlink (no libnetfilter_log needed) and writes each packet to stdout for the agent:
 *
 *   nflog-reader GROUP COPY_BYTES
 *
 * Each record: u32 length of what follows, u32 input ifindex, u32 output ifindex, u16 hardware protocol
 * (the EtherType, network order as the kernel gives it), u16 hardware header length, u32 bytes of the packet
 * copied (the IP header tells its real length), then the hardware header and the packet from its network
 * header, at most COPY_BYTES. Host byte order (little-endian here), but the EtherType.
 * When the socket's buffer overflows (ENOBUFS) the kernel has dropped packets: a record of length 0xFFFFFFFF
 * and no body tells the agent to count a drop. Exits on a write error (the agent went away).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <linux/netfilter/nfnetlink.h>
#include <linux/netfilter/nfnetlink_log.h>
#include <linux/netlink.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#define BUF_BYTES (1 << 17)

static int fail(const char *what) {
  fprintf(stderr, "nflog-reader: %s: %s\n", what, strerror(errno));
  return 1;
}

/* Appends a netlink attribute to msg (len is the message's current length). */
static void attr(char *msg, uint32_t *len, uint16_t type, const void *data, uint16_t size) {
  struct nlattr *a = (struct nlattr *)(msg + NLMSG_ALIGN(*len));
  a->nla_type = type;
  a->nla_len = NLA_HDRLEN + size;
  memcpy((char *)a + NLA_HDRLEN, data, size);
  *len = NLMSG_ALIGN(*len) + NLA_ALIGN(a->nla_len);
}

/* One NFULNL_MSG_CONFIG message for `group` with one attribute; waits for the kernel's acknowledgement. */
static int configure(int fd, uint16_t group, uint16_t type, const void *data, uint16_t size) {
  char msg[256];
  memset(msg, 0, sizeof msg);
  struct nlmsghdr *h = (struct nlmsghdr *)msg;
  uint32_t len = NLMSG_LENGTH(sizeof(struct nfgenmsg));
  h->nlmsg_type = (NFNL_SUBSYS_ULOG << 8) | NFULNL_MSG_CONFIG;
  h->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK;
  struct nfgenmsg *g = (struct nfgenmsg *)NLMSG_DATA(h);
  g->nfgen_family = AF_UNSPEC;
  g->version = NFNETLINK_V0;
  g->res_id = htons(group);
  attr(msg, &len, type, data, size);
  h->nlmsg_len = len;
  if (send(fd, msg, len, 0) < 0) return -1;
  char reply[4096];
  ssize_t n = recv(fd, reply, sizeof reply, 0);
  if (n < 0) return -1;
  struct nlmsghdr *r = (struct nlmsghdr *)reply;
  if (r->nlmsg_type == NLMSG_ERROR) {
    struct nlmsgerr *e = (struct nlmsgerr *)NLMSG_DATA(r);
    if (e->error != 0) {
      errno = -e->error;
      return -1;
    }
  }
  return 0;
}

static int put(const void *data, size_t size) { return fwrite(data, 1, size, stdout) == size ? 0 : -1; }

int main(int argc, char **argv) {
  if (argc != 3) {
    fprintf(stderr, "usage: nflog-reader GROUP COPY_BYTES\n");
    return 2;
  }
  uint16_t group = (uint16_t)atoi(argv[1]);
  uint32_t copy = (uint32_t)atoi(argv[2]);
  int fd = socket(AF_NETLINK, SOCK_RAW, NETLINK_NETFILTER);
  if (fd < 0) return fail("socket");
  int rcvbuf = 1 << 22;
  setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof rcvbuf);
  struct sockaddr_nl local = {.nl_family = AF_NETLINK};
  if (bind(fd, (struct sockaddr *)&local, sizeof local) < 0) return fail("bind");
  struct nfulnl_msg_config_cmd bind_cmd = {.command = NFULNL_CFG_CMD_BIND};
  if (configure(fd, group, NFULA_CFG_CMD, &bind_cmd, sizeof bind_cmd) < 0) return fail("bind the NFLOG group");
  struct nfulnl_msg_config_mode mode = {.copy_range = htonl(copy), .copy_mode = NFULNL_COPY_PACKET};
  if (configure(fd, group, NFULA_CFG_MODE, &mode, sizeof mode) < 0) return fail("set the copy mode");
  /* One packet a message, at once: the agent wants them as they come, not batched by the kernel. */
  uint32_t qthresh = htonl(1);
  configure(fd, group, NFULA_CFG_QTHRESH, &qthresh, sizeof qthresh);
  fprintf(stderr, "nflog-reader: group %u bound\n", group);

  static char buf[BUF_BYTES];
  for (;;) {
    ssize_t n = recv(fd, buf, sizeof buf, 0);
    if (n < 0) {
      if (errno == ENOBUFS) {
        uint32_t drop = 0xFFFFFFFF;
        if (put(&drop, 4) < 0) return 0;
        fflush(stdout);
        continue;
      }
      if (errno == EINTR) continue;
      return fail("recv");
    }
    for (struct nlmsghdr *h = (struct nlmsghdr *)buf; NLMSG_OK(h, (uint32_t)n); h = NLMSG_NEXT(h, n)) {
      if ((h->nlmsg_type & 0xff) != NFULNL_MSG_PACKET || (h->nlmsg_type >> 8) != NFNL_SUBSYS_ULOG) continue;
      uint32_t indev = 0, outdev = 0, hwlen = 0, plen = 0;
      uint16_t hwproto = 0;
      const char *hw = NULL, *payload = NULL;
      int attrs = h->nlmsg_len - NLMSG_LENGTH(sizeof(struct nfgenmsg));
      for (struct nlattr *a = (struct nlattr *)((char *)NLMSG_DATA(h) + NLMSG_ALIGN(sizeof(struct nfgenmsg)));
           attrs >= (int)NLA_HDRLEN && a->nla_len >= NLA_HDRLEN && a->nla_len <= attrs;
           attrs -= NLA_ALIGN(a->nla_len), a = (struct nlattr *)((char *)a + NLA_ALIGN(a->nla_len))) {
        const char *v = (const char *)a + NLA_HDRLEN;
        uint32_t size = a->nla_len - NLA_HDRLEN;
        switch (a->nla_type & NLA_TYPE_MASK) {
        case NFULA_PACKET_HDR:
          hwproto = ((const struct nfulnl_msg_packet_hdr *)v)->hw_protocol;
          break;
        case NFULA_IFINDEX_INDEV:
          indev = ntohl(*(const uint32_t *)v);
          break;
        case NFULA_IFINDEX_OUTDEV:
          outdev = ntohl(*(const uint32_t *)v);
          break;
        case NFULA_HWHEADER:
          hw = v;
          hwlen = size;
          break;
        case NFULA_PAYLOAD:
          payload = v;
          plen = size;
          break;
        }
      }
      if (payload == NULL) continue;
      if (plen > copy) plen = copy;
      uint16_t hwlen16 = (uint16_t)hwlen;
      uint32_t length = 4 + 4 + 2 + 2 + 4 + hwlen + plen;
      if (put(&length, 4) < 0 || put(&indev, 4) < 0 || put(&outdev, 4) < 0 || put(&hwproto, 2) < 0 ||
          put(&hwlen16, 2) < 0 || put(&plen, 4) < 0 || (hwlen && put(hw, hwlen) < 0) || put(payload, plen) < 0)
        return 0;
    }
    if (fflush(stdout) != 0) return 0;
  }
}
