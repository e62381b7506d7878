#include "config.h"
#include "unit.h"
Suite *suite_fabric(void)
{
	return suite_create("fabric");
}
