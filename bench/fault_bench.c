// SPDX-License-Identifier: GPL-2.0
/*
 * Page request round trip, measured the same way on two kernels:
 *
 *   -DBENCH_VFIO     this series (Linux 6.1): requests from the IOMMU page
 *                    request injector (debugfs inject_bin, one write() per
 *                    batch of binary records), read from vfio-pci's mapped
 *                    fault ring, the consumer index stored in the mapped
 *                    first page of the response region, answered with one
 *                    pwrite() of a batch into that region, eventfd wake-up;
 *   -DBENCH_IOMMUFD  iommufd's fault queue (Linux 7.2): requests from the
 *                    mock device (IOMMU_TEST_OP_TRIGGER_IOPF, one ioctl()
 *                    each), read() from the fault fd, answered with one
 *                    write() of a batch, poll() on the fault fd; with
 *                    "ring" as third argument (side "ring", needs the
 *                    fault ring RFC), the same fault object allocated with
 *                    IOMMU_FAULT_QUEUE_FLAG_RING: loads from the mapped
 *                    ring and a store of the consumer index instead of
 *                    read(), the rest unchanged.
 *
 * Both sides give every request of a batch its own (PASID, group index):
 * grpid = n % 512, pasid = 1 + n / 512, so nothing replaces anything.
 *
 * Prints one line per figure:
 *   bench side=<vfio|iommufd|ring> metric=<name> B=<n> P=<n> value=<v> unit=<u>
 * and the workbench's bench.py turns the lines of several boots into the
 * table. Numbers only: nothing here passes or fails on speed.
 *
 * Usage: fault_bench [seconds per figure (default 2)] [inject|all] [ring]
 * "inject" only injects, fetches and answers batches of 512 for that long,
 * printing nothing: a load for a profiler (make bench-profile).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#define MAX_B		512
#define LAT_SAMPLES	10000

static double secs_per_figure = 2.0;
static unsigned long long next_req;	/* numbers every request made */

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void die(const char *what)
{
	fprintf(stderr, "fault_bench: %s: %s\n", what, strerror(errno));
	exit(1);
}

static unsigned int req_grpid(unsigned long long n)
{
	return n % 512;
}

static unsigned int req_pasid(unsigned long long n)
{
	return 1 + (n / 512) % 0xffff;
}

#ifdef BENCH_VFIO
/* ---- this series: vfio-pci fault ring ---------------------------------- */
#include "vfio_fault_util.h"

#define SIDE "vfio"
#define INJECT_HOW "one write() to debugfs per batch, a binary record per request (inject_bin)"
#define FETCH_HOW "loads from the mapped ring + a store of the consumer index in its mapped page"
#define ANSWER_HOW "one pwrite() of the batch into the response region"

static void side_arm(void);
static void print(const char *metric, int b, int p, double v,
		  const char *unit);
static void fetch_answer(int n);
static struct vfio_dev dev;
static struct vfio_fault_ring ring;
static const char *bdf;
static int inject_fd, inject_text_fd;
static const volatile char *map;	/* the ring region, mapped */

typedef struct iommu_fault rec_t;
static struct iommu_page_response resp[MAX_B];

static void side_setup(void)
{
	const char *step;
	void *p;

	bdf = getenv(VFIO_BDF_ENV);
	if (!bdf)
		die("no " VFIO_BDF_ENV);
	errno = -vfio_dev_open(&dev, bdf, &step);
	if (errno)
		die(step);
	errno = -vfio_fault_ring_open(&ring, &dev);
	if (errno)
		die("fault ring");
	errno = -vfio_fault_arm(&ring);
	if (errno)
		die("arm");
	p = mmap(NULL, ring.ring_size, PROT_READ, MAP_SHARED, dev.fd,
		 ring.ring_offset);
	if (p == MAP_FAILED)
		die("mmap ring");
	map = p;
	errno = -vfio_fault_map_consumer(&ring);
	if (errno)
		die("mmap consumer");
	inject_fd = open(FAULT_INJECT_DIR "/inject_bin", O_WRONLY);
	if (inject_fd < 0)
		die("inject_bin");
	inject_text_fd = open(FAULT_INJECT_DIR "/inject", O_WRONLY);
	if (inject_text_fd < 0)
		die("inject");
}

/*
 * One write() for the whole batch: the device's name in 32 bytes, then a
 * struct iommu_fault_page_request per request.
 */
static void side_inject(int n)
{
	static struct {
		char name[32];
		struct iommu_fault_page_request req[MAX_B];
	} __attribute__((packed)) buf;
	size_t len = sizeof(buf.name) + n * sizeof(buf.req[0]);
	int i;

	strncpy(buf.name, bdf, sizeof(buf.name) - 1);
	for (i = 0; i < n; i++) {
		buf.req[i] = (struct iommu_fault_page_request) {
			.flags = IOMMU_FAULT_PAGE_REQUEST_LAST_PAGE |
				 IOMMU_FAULT_PAGE_REQUEST_PASID_VALID |
				 IOMMU_FAULT_PAGE_RESPONSE_NEEDS_PASID,
			.pasid = req_pasid(next_req),
			.grpid = req_grpid(next_req),
			.perm = IOMMU_FAULT_PERM_READ,
			.addr = next_req << 12,
		};
		next_req++;
	}
	if (write(inject_fd, &buf, len) != (ssize_t)len)
		die("inject write");
}

/* The same, a text line per request: what the text interface costs. */
static void side_inject_text(int n)
{
	static char buf[MAX_B * 80];
	int len = 0;

	while (n--) {
		len += snprintf(buf + len, sizeof(buf) - len,
				"%s grpid=%u pasid=%u addr=%llu perm=r\n", bdf,
				req_grpid(next_req), req_pasid(next_req),
				next_req << 12);
		next_req++;
	}
	if (write(inject_text_fd, buf, len) != len)
		die("inject write");
}

/* Take up to @max new records from the mapped ring. */
static int side_fetch(rec_t *out, int max)
{
	const struct vfio_region_fault_ring_header *h =
		(const void *)(map + ring.cap.header_offset);
	__u32 producer = __atomic_load_n(&h->producer, __ATOMIC_ACQUIRE);
	int n = 0;

	while (ring.consumer != producer && n < max) {
		memcpy(&out[n], (const void *)(map + ring.cap.records_offset +
			(ring.consumer % ring.cap.nr_records) * ring.cap.record_size),
		       sizeof(*out));
		ring.consumer++;
		n++;
	}
	if (n)
		vfio_fault_store_consumer(&ring, ring.consumer);
	return n;
}

static void side_answer(const rec_t *f, int n)
{
	int i;

	for (i = 0; i < n; i++)
		resp[i] = vfio_fault_answer(&f[i], IOMMU_PAGE_RESP_SUCCESS);
	if (vfio_fault_respond(&ring, resp, n) != (ssize_t)(n * sizeof(*resp)))
		die("respond");
}

static int side_wait_fd(void)
{
	return ring.efd;
}

static void side_drain_wakeup(void)
{
	__u64 cnt;

	if (read(ring.efd, &cnt, sizeof(cnt)) < 0 && errno != EAGAIN)
		die("eventfd");
}

static void side_disarm(void)
{
	if (vfio_fault_disarm(&ring))
		die("disarm");
}

static double per_write_ns(const char *line, int expect_errno)
{
	int i, n = 20000, len = strlen(line);
	double t0 = now();

	for (i = 0; i < n; i++) {
		if (write(inject_text_fd, line, len) == len) {
			if (expect_errno)
				die("breakdown: write succeeded");
		} else if (errno != expect_errno) {
			die("breakdown write");
		}
	}
	return (now() - t0) / n * 1e9;
}

/*
 * Where an injection's time goes, ours only: a write the injector
 * refuses at parsing (syscall, debugfs, copy, parse), one for a device
 * that is not armed (the injector's lookup, lock and tracking, the core
 * finding no handler, the sink), and the full report into the ring.
 */
static void side_breakdown(void)
{
	double spent = 0, t0;
	long long done = 0;
	char line[96];

	/* Text lines, 512 per write, against the binary records above. */
	while (spent < secs_per_figure) {
		t0 = now();
		side_inject_text(MAX_B);
		spent += now() - t0;
		done += MAX_B;
		fetch_answer(MAX_B);
	}
	print("inject_text", MAX_B, 0, spent / done * 1e9, "ns/req");

	print("inject_parse_only", 1, 0,
	      per_write_ns("0000:00:00.0 grpid=zz\n", EINVAL), "ns/req");
	side_disarm();
	snprintf(line, sizeof(line), "%s grpid=1 pasid=none\n", bdf);
	print("inject_not_armed", 1, 0, per_write_ns(line, EINVAL), "ns/req");
	side_arm();
}

static void side_arm(void)
{
	struct vfio_region_fault_ring_header h;

	if (vfio_fault_arm(&ring))
		die("arm");
	/* Everything before was fetched: go on from the producer. */
	if (vfio_fault_header(&ring, &h))
		die("header");
	ring.consumer = h.producer;
	ring.epoch = h.epoch;
	if (vfio_fault_set_consumer(&ring, ring.consumer))
		die("consumer");
}

#elif defined(BENCH_IOMMUFD)
/* ---- mainline: iommufd fault queue, mock device ----------------------- */
#include <linux/iommufd.h>
#include "iommufd_test.h"

#define SIDE (ring ? "ring" : "iommufd")
#define INJECT_HOW "ioctl(IOMMU_TEST_OP_TRIGGER_IOPF) per request"
#define FETCH_HOW (ring ? "loads from the mapped ring + a store of the consumer index in its mapped page" : \
		   "one read() of the fault fd per batch")
#define ANSWER_HOW "one write() of the batch to the fault fd"
#define RING_ENTRIES 4096

static int ifd, fault_fd;
static bool ring;	/* IOMMU_FAULT_QUEUE_FLAG_RING */
static __u32 *ring_cons;
static const __u32 *ring_prod;
static const struct iommu_hwpt_pgfault *ring_recs;
static __u32 idev_id, stdev_id, parent_id, iopf_hwpt_id;

typedef struct iommu_hwpt_pgfault rec_t;
static struct iommu_hwpt_page_response resp[MAX_B];

static __u32 hwpt_alloc(__u32 pt, __u32 flags, __u32 fault_id, bool nested)
{
	struct iommu_hwpt_selftest data = { .iotlb = IOMMU_TEST_IOTLB_DEFAULT };
	struct iommu_hwpt_alloc cmd = {
		.size = sizeof(cmd),
		.flags = flags,
		.dev_id = idev_id,
		.pt_id = pt,
		.fault_id = fault_id,
	};

	if (nested) {
		cmd.data_type = IOMMU_HWPT_DATA_SELFTEST;
		cmd.data_len = sizeof(data);
		cmd.data_uptr = (uintptr_t)&data;
	}
	if (ioctl(ifd, IOMMU_HWPT_ALLOC, &cmd))
		die("IOMMU_HWPT_ALLOC");
	return cmd.out_hwpt_id;
}

static void replace(__u32 pt)
{
	struct iommu_test_cmd cmd = {
		.size = sizeof(cmd),
		.op = IOMMU_TEST_OP_MOCK_DOMAIN_REPLACE,
		.id = stdev_id,
		.mock_domain_replace.pt_id = pt,
	};

	if (ioctl(ifd, IOMMU_TEST_CMD, &cmd))
		die("MOCK_DOMAIN_REPLACE");
}

static void side_setup(void)
{
	struct iommu_ioas_alloc ioas = { .size = sizeof(ioas) };
	struct iommu_test_cmd mock = {
		.size = sizeof(mock),
		.op = IOMMU_TEST_OP_MOCK_DOMAIN,
	};
	struct iommu_fault_alloc fa = { .size = sizeof(fa) };
	long page = sysconf(_SC_PAGESIZE);
	void *ro;

	ifd = open("/dev/iommu", O_RDWR);
	if (ifd < 0)
		die("/dev/iommu");
	if (ioctl(ifd, IOMMU_IOAS_ALLOC, &ioas))
		die("IOMMU_IOAS_ALLOC");
	mock.id = ioas.out_ioas_id;
	if (ioctl(ifd, IOMMU_TEST_CMD, &mock))
		die("MOCK_DOMAIN");
	stdev_id = mock.mock_domain.out_stdev_id;
	idev_id = mock.mock_domain.out_idev_id;
	parent_id = hwpt_alloc(ioas.out_ioas_id, IOMMU_HWPT_ALLOC_NEST_PARENT,
			       0, false);
#ifdef IOMMU_FAULT_RING_MAX_ENTRIES
	if (ring) {
		fa.flags = IOMMU_FAULT_QUEUE_FLAG_RING;
		fa.ring_entries = RING_ENTRIES;
	}
#endif
	if (ioctl(ifd, IOMMU_FAULT_QUEUE_ALLOC, &fa))
		die("IOMMU_FAULT_QUEUE_ALLOC");
	fault_fd = fa.out_fault_fd;
#ifdef IOMMU_FAULT_RING_MAX_ENTRIES
	if (ring) {
		ro = mmap(NULL, fa.out_ring_length, PROT_READ, MAP_SHARED,
			  fault_fd, 0);
		ring_cons = mmap(NULL, page, PROT_READ | PROT_WRITE, MAP_SHARED,
				 fault_fd, 0);
		if (ro == MAP_FAILED || ring_cons == MAP_FAILED)
			die("mmap fault ring");
		ring_prod = &((const struct iommu_fault_ring_header *)
			      ((char *)ro + page))->producer;
		ring_recs = (const void *)((char *)ro + 2 * page);
	}
#else
	(void)page;
	(void)ro;
	if (ring) {
		errno = EOPNOTSUPP;
		die("no IOMMU_FAULT_QUEUE_FLAG_RING in this kernel's uapi");
	}
#endif
	iopf_hwpt_id = hwpt_alloc(parent_id, IOMMU_HWPT_FAULT_ID_VALID,
				  fa.out_fault_id, true);
	replace(iopf_hwpt_id);
}

static void side_inject(int n)
{
	struct iommu_test_cmd cmd = {
		.size = sizeof(cmd),
		.op = IOMMU_TEST_OP_TRIGGER_IOPF,
	};

	while (n--) {
		cmd.trigger_iopf.dev_id = idev_id;
		cmd.trigger_iopf.pasid = req_pasid(next_req);
		cmd.trigger_iopf.grpid = req_grpid(next_req);
		cmd.trigger_iopf.perm = IOMMU_PGFAULT_PERM_READ;
		cmd.trigger_iopf.addr = next_req << 12;
		next_req++;
		if (ioctl(ifd, IOMMU_TEST_CMD, &cmd))
			die("TRIGGER_IOPF");
	}
}

static int side_fetch(rec_t *out, int max)
{
	ssize_t n;

	if (ring) {
		__u32 cons = *ring_cons;
		__u32 avail = __atomic_load_n(ring_prod, __ATOMIC_ACQUIRE) - cons;
		int i;

		if (avail > (__u32)max)
			avail = max;
		for (i = 0; i < (int)avail; i++)
			out[i] = ring_recs[(cons + i) & (RING_ENTRIES - 1)];
		__atomic_store_n(ring_cons, cons + avail, __ATOMIC_RELEASE);
		return avail;
	}
	n = read(fault_fd, out, max * sizeof(*out));

	if (n < 0) {
		if (errno == EAGAIN)
			return 0;
		die("read fault fd");
	}
	return n / sizeof(*out);
}

static void side_answer(const rec_t *f, int n)
{
	int i;

	for (i = 0; i < n; i++) {
		resp[i].cookie = f[i].cookie;
		resp[i].code = IOMMUFD_PAGE_RESP_SUCCESS;
	}
	if (write(fault_fd, resp, n * sizeof(*resp)) !=
	    (ssize_t)(n * sizeof(*resp)))
		die("write fault fd");
}

static int side_wait_fd(void)
{
	return fault_fd;
}

static void side_drain_wakeup(void)
{
}

static void side_disarm(void)
{
	replace(parent_id);	/* auto-responds to what is pending */
}

static void side_breakdown(void)
{
}

static void side_arm(void)
{
	replace(iopf_hwpt_id);
}
#else
#error "build with -DBENCH_VFIO or -DBENCH_IOMMUFD"
#endif

/* ---- the same measurements on both sides -------------------------------- */

static rec_t recs[MAX_B];

static void print(const char *metric, int b, int p, double v,
		  const char *unit)
{
	printf("bench side=%s metric=%s B=%d P=%d value=%.6g unit=%s\n", SIDE,
	       metric, b, p, v, unit);
	fflush(stdout);
}

/* Fetch exactly @n (they were injected already) and answer them. */
static void fetch_answer(int n)
{
	int got = 0, k;

	while (got < n) {
		k = side_fetch(recs, n - got);
		if (!k) {
			struct pollfd p = { .fd = side_wait_fd(), .events = POLLIN };

			if (poll(&p, 1, 1000) != 1)
				die("requests missing");
			side_drain_wakeup();
			continue;
		}
		side_answer(recs, k);
		got += k;
	}
}

/* Userspace side: B requests waiting; time fetching and answering them. */
static void bench_user(int b)
{
	double spent = 0, t0;
	long long done = 0;

	while (spent < secs_per_figure) {
		side_inject(b);
		t0 = now();
		fetch_answer(b);
		spent += now() - t0;
		done += b;
	}
	print("user", b, 0, done / spent, "req/s");
}

/* Whole trip: inject B, fetch them, answer them. */
static void bench_trip(int b)
{
	double t0 = now(), t;
	long long done = 0;

	do {
		side_inject(b);
		fetch_answer(b);
		done += b;
		t = now() - t0;
	} while (t < secs_per_figure);
	print("trip", b, 0, done / t, "req/s");
}

/* Injection alone, B at a time: what each side's test interface costs. */
static void bench_inject(int b)
{
	double spent = 0, t0;
	long long done = 0;
	int i;

	while (spent < secs_per_figure) {
		t0 = now();
		for (i = 0; i < MAX_B / b; i++)
			side_inject(b);
		spent += now() - t0;
		done += MAX_B / b * b;
		fetch_answer(MAX_B / b * b);
	}
	print("inject", b, 0, spent / done * 1e9, "ns/req");
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/*
 * One request at a time: inject, wait for the wake-up (eventfd or fault fd
 * poll), fetch, answer; the answer has reached the device (the injector's
 * sink, the mock's page_response) when the answering syscall returns.
 */
static void bench_latency(void)
{
	static double lat[LAT_SAMPLES];
	struct pollfd p = { .fd = side_wait_fd(), .events = POLLIN };
	double t0;
	int i, k;

	for (i = 0; i < LAT_SAMPLES; i++) {
		t0 = now();
		side_inject(1);
		if (poll(&p, 1, 1000) != 1)
			die("no wake-up");
		side_drain_wakeup();
		k = side_fetch(recs, 1);
		if (k != 1)
			die("no record after wake-up");
		side_answer(recs, 1);
		lat[i] = now() - t0;
	}
	qsort(lat, LAT_SAMPLES, sizeof(lat[0]), cmp_double);
	print("lat_p50", 1, 0, lat[LAT_SAMPLES / 2] * 1e6, "us");
	print("lat_p99", 1, 0, lat[LAT_SAMPLES * 99 / 100] * 1e6, "us");
}

/*
 * With P requests pending (fetched, not answered), the cost of one more
 * round trip: how the response lookup scales. Then the time to disarm
 * (detach the fault handler / replace the domain) with P pending.
 */
static void bench_scaling(int p)
{
	double t0, spent = 0;
	long long done = 0;
	int left = p, k, got;

	while (left) {
		k = left < MAX_B ? left : MAX_B;
		side_inject(k);
		for (got = 0; got < k; )
			got += side_fetch(recs, k - got);
		left -= k;
	}
	while (spent < secs_per_figure / 2) {
		t0 = now();
		side_inject(1);
		fetch_answer(1);
		spent += now() - t0;
		done++;
	}
	print("lookup", 1, p, spent / done * 1e6, "us");
	t0 = now();
	side_disarm();
	print("disarm", 1, p, (now() - t0) * 1e6, "us");
	side_arm();
}

int main(int argc, char **argv)
{
	static const int batches[] = { 1, 32, 512 };
	static const int pending[] = { 16, 1024, 4000 };
	unsigned int i;

	if (argc > 1)
		secs_per_figure = atof(argv[1]);
#ifdef BENCH_IOMMUFD
	ring = argc > 3 && !strcmp(argv[3], "ring");
#endif
	side_setup();
	if (argc > 2 && !strcmp(argv[2], "inject")) {
		double end = now() + secs_per_figure;

		while (now() < end) {
			side_inject(MAX_B);
			fetch_answer(MAX_B);
		}
		return 0;
	}
	printf("bench side=%s inject=\"%s\" fetch=\"%s\" answer=\"%s\"\n", SIDE,
	       INJECT_HOW, FETCH_HOW, ANSWER_HOW);
	bench_inject(1);
	bench_inject(512);
	side_breakdown();
	for (i = 0; i < sizeof(batches) / sizeof(batches[0]); i++) {
		bench_user(batches[i]);
		bench_trip(batches[i]);
	}
	bench_latency();
	for (i = 0; i < sizeof(pending) / sizeof(pending[0]); i++)
		bench_scaling(pending[i]);
	printf("bench side=%s end\n", SIDE);
	return 0;
}
