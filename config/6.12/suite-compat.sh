# SPDX-License-Identifier: GPL-2.0
# Run by test-iommufd.sh in the 6.12 tree, before the iommu suite is built
# and installed; the tree's files are put back right after.
#
# tools/testing/selftests/iommu/ of 6.12.117 does not build against
# 6.12.117's own uapi and test header: the stable tree took selftest changes
# without the kernel changes they test. iommufd_utils.h fills
# iommu_hw_info::in_data_type and IOMMU_HW_INFO_FLAG_INPUT_TYPE, and
# iommufd.c uses IOMMU_HW_INFO_TYPE_DEFAULT, MOCK_FLAGS_DEVICE_PASID and
# MOCK_PASID_WIDTH, none of which this kernel has. Fit the copy to the
# kernel, and nothing more:
#  - drop the three lines that pass an input type (the tests ask for the
#    default type, which is what this kernel answers without them);
#  - IOMMU_HW_INFO_TYPE_DEFAULT is this uapi's IOMMU_HW_INFO_TYPE_NONE (0);
#  - MOCK_FLAGS_DEVICE_PASID and MOCK_PASID_WIDTH get the values mainline
#    gives them, so that the code builds: this kernel's mock device refuses
#    the flag, and the tests of the fixture variant asking for a PASID
#    capable device fail at setup (config/6.12/known-failures);
#  - iommufd_fail_nth stops a walk at 400 allocations, "an arbitrary limit
#    based on the current kernel situation" by its own comment; with the
#    debug set map_two_domains walks 461: allow 4000.
set -euo pipefail
d=tools/testing/selftests/iommu
sed -i -e '/\.in_data_type = data_type,/d' \
	-e '/if (data_type != IOMMU_HW_INFO_TYPE_DEFAULT)/,+1d' \
	-e '0,/^#include/s//#ifndef IOMMU_HW_INFO_TYPE_DEFAULT\n#define IOMMU_HW_INFO_TYPE_DEFAULT IOMMU_HW_INFO_TYPE_NONE\n#endif\n#ifndef MOCK_FLAGS_DEVICE_PASID\n#define MOCK_FLAGS_DEVICE_PASID (1 << 2)\n#define MOCK_PASID_WIDTH 20\n#endif\n&/' \
	"$d/iommufd_utils.h"
sed -i -e 's/ASSERT_GT(400, nth_state->iteration);/ASSERT_GT(4000, nth_state->iteration);/' \
	"$d/iommufd_fail_nth.c"
grep -q 'ASSERT_GT(4000' "$d/iommufd_fail_nth.c" &&
	grep -q 'define MOCK_FLAGS_DEVICE_PASID' "$d/iommufd_utils.h" &&
	! grep -q 'in_data_type' "$d/iommufd_utils.h" ||
	{ echo "suite-compat.sh: 6.12's iommu suite moved, update it" >&2; exit 1; }
