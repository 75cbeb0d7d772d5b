// SPDX-License-Identifier: GPL-2.0
/*
 * What a device that never arms the fault ring pays: opening, resetting and
 * closing it through vfio-pci, timed the same way on the base kernel and on
 * the series (make bench boots both, alternately, with the same config).
 *
 * Three figures, each a loop run for the given seconds:
 *   open_close   the device fd: VFIO_GROUP_GET_DEVICE_FD, then close(); the
 *                container and group stay set up, as a VMM has them;
 *   reset        VFIO_DEVICE_RESET on an open device;
 *   full_cycle   what each of mainline's VFIO selftests does per test:
 *                container, group, type1, device fd, reset, and all closed.
 *
 * Prints, per figure, the median time of one iteration over the loop:
 *   bench side=<side> metric=<name> B=1 P=0 value=<us> unit=us
 * with <side> the first argument (base or series). Numbers only.
 *
 * Usage: open_bench <side> [seconds per figure (default 1)]
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "vfio_util.h"

#define MAX_SAMPLES	100000

static double samples[MAX_SAMPLES];

static double now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e6 + ts.tv_nsec / 1e3;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

static void die(const char *what, int err)
{
	fprintf(stderr, "open_bench: %s: %s\n", what, strerror(err));
	exit(1);
}

static void report(const char *side, const char *metric, int n)
{
	qsort(samples, n, sizeof(samples[0]), cmp_double);
	printf("bench side=%s metric=%s B=1 P=0 value=%.6g unit=us\n", side,
	       metric, samples[n / 2]);
	fflush(stdout);
}

int main(int argc, char **argv)
{
	const char *bdf = getenv(VFIO_BDF_ENV), *side, *step;
	double secs = 1.0, end, t;
	struct vfio_dev d;
	int n, fd, ret;

	if (argc < 2 || !bdf) {
		fprintf(stderr, "usage: %s <side> [seconds], with $%s set\n",
			argv[0], VFIO_BDF_ENV);
		return 2;
	}
	side = argv[1];
	if (argc > 2)
		secs = atof(argv[2]);

	ret = vfio_dev_open(&d, bdf, &step);
	if (ret)
		die(step, -ret);

	/* Warm up: the first open of a device sets things up once. */
	close(d.fd);
	d.fd = -1;

	end = now_us() + secs * 1e6;
	for (n = 0; n < MAX_SAMPLES && now_us() < end; n++) {
		t = now_us();
		fd = ioctl(d.group, VFIO_GROUP_GET_DEVICE_FD, bdf);
		if (fd < 0)
			die("VFIO_GROUP_GET_DEVICE_FD", errno);
		close(fd);
		samples[n] = now_us() - t;
	}
	report(side, "open_close", n);

	d.fd = ioctl(d.group, VFIO_GROUP_GET_DEVICE_FD, bdf);
	if (d.fd < 0)
		die("VFIO_GROUP_GET_DEVICE_FD", errno);
	end = now_us() + secs * 1e6;
	for (n = 0; n < MAX_SAMPLES && now_us() < end; n++) {
		t = now_us();
		if (ioctl(d.fd, VFIO_DEVICE_RESET))
			die("VFIO_DEVICE_RESET", errno);
		samples[n] = now_us() - t;
	}
	report(side, "reset", n);
	vfio_dev_close(&d);

	end = now_us() + secs * 1e6;
	for (n = 0; n < MAX_SAMPLES && now_us() < end; n++) {
		t = now_us();
		ret = vfio_dev_open(&d, bdf, &step);
		if (ret)
			die(step, -ret);
		if (ioctl(d.fd, VFIO_DEVICE_RESET))
			die("VFIO_DEVICE_RESET", errno);
		vfio_dev_close(&d);
		samples[n] = now_us() - t;
	}
	report(side, "full_cycle", n);
	printf("bench side=%s end\n", side);
	return 0;
}
