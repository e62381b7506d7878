#include "config.h"
#include "unit.h"
Suite *suite_place(void)
{
	return suite_create("place");
}
