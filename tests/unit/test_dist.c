#include "config.h"
#include "unit.h"
Suite *suite_dist(void)
{
	return suite_create("dist");
}
