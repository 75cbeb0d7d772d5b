// SPDX-License-Identifier: GPL-2.0
/*
 * A focused repeat of vfio_pci_fault_test's sysfs_reset_racing_with_first_open
 * loop, for hunting the x86_64 CI timeout README's "Open" section describes.
 * Not part of any make target. How it was run (two guests at once, 25 min):
 *
 *   cd build/linux/tools/testing/selftests/vfio
 *   gcc -O2 -Wall -static -pthread -isystem ../../../../../kernel/usr/include \
 *	-I. -o /tmp/race ../../../../../../repro/reset_race.c
 *   copy build/initramfs, add /tmp/race as /race, and make its init run
 *   "/race 100000 >/dev/ttyS1" before the selftests; boot it as
 *   scripts/boot.sh does (q35, VT-d, two edu devices), and watch the
 *   console for "race: round N" (every 50 rounds) and hung task reports.
 */
#include <pthread.h>
#include <time.h>
#include "vfio_fault_util.h"

static const char *bdf;
static int stop;
static unsigned long resets;

static void kmsg(const char *s)
{
	int fd = open("/dev/kmsg", O_WRONLY);
	if (fd >= 0) { if (write(fd, s, strlen(s)) < 0) {} close(fd); }
}

static void *racer(void *a)
{
	char path[128];
	snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/reset", bdf);
	while (!__atomic_load_n(&stop, __ATOMIC_RELAXED)) {
		if (!write_file(path, "1"))
			resets++;
		usleep(rand() % 20000);
	}
	return NULL;
}

int main(int argc, char **argv)
{
	int rounds = argc > 1 ? atoi(argv[1]) : 1000, i, tries, ret;
	char line[200];
	pthread_t th;

	bdf = getenv("VFIO_SELFTESTS_BDF2");
	if (!bdf) return 2;
	srand(getpid());
	pthread_create(&th, NULL, racer, NULL);
	for (i = 0; i < rounds; i++) {
		struct vfio_fault_ring r;
		struct vfio_dev d;
		const char *step;

		if ((ret = write_file("/sys/bus/pci/drivers/vfio-pci/unbind", bdf))) { printf("unbind %d\n", ret); break; }
		if ((ret = write_file("/sys/bus/pci/drivers_probe", bdf))) { printf("probe %d\n", ret); break; }
		for (tries = 0; tries < 5000; tries++) {
			ret = vfio_dev_open(&d, bdf, &step);
			if (ret != -EAGAIN) break;
			vfio_dev_close(&d);
			usleep(1000);
		}
		if (ret) { printf("open %s %d tries %d\n", step, ret, tries); break; }
		if (vfio_fault_ring_open(&r, &d) || vfio_fault_arm(&r)) { printf("ring\n"); break; }
		ret = fault_inject(bdf, i & 0xffff, -1, 0x1000);
		if (ret && ret != -EINVAL) printf("inject %d\n", ret);
		vfio_fault_ring_close(&r);
		vfio_dev_close(&d);
		if (i % 50 == 0) {
			snprintf(line, sizeof(line), "race: round %d resets %lu tries %d\n", i, resets, tries);
			kmsg(line);
		}
	}
	__atomic_store_n(&stop, 1, __ATOMIC_RELAXED);
	pthread_join(th, NULL);
	snprintf(line, sizeof(line), "race: done %d rounds, %lu resets\n", i, resets);
	kmsg(line);
	printf("%s", line);
	return i == rounds ? 0 : 1;
}
