#include "config.h"
#include "unit.h"
Suite *suite_owgp(void)
{
	return suite_create("owgp");
}
