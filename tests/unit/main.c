/* main.c - the unit-test runner: every module's Check suite in one binary
 * (libsigrok's tests/main.c).
 *
 * CK_VERBOSITY (silent, minimal, normal, verbose) chooses how much is
 * printed; the default, normal, ends with Check's summary line
 * "100%: Checks: N, Failures: 0, Errors: 0".  CK_RUN_SUITE / CK_RUN_CASE
 * run one suite or case, CK_FORK=no runs in-process (for gdb). */
#include "config.h"

#include <stdlib.h>

#include "unit.h"

int main(void)
{
	SRunner *sr = srunner_create(NULL);

	srunner_add_suite(sr, suite_arena());
	srunner_add_suite(sr, suite_source());
	srunner_add_suite(sr, suite_diag());
	srunner_add_suite(sr, suite_lexer());
	srunner_add_suite(sr, suite_parser());
	srunner_add_suite(sr, suite_sema());
	srunner_add_suite(sr, suite_ir());
	srunner_add_suite(sr, suite_ir_text());
	srunner_add_suite(sr, suite_ir_verify());
	srunner_add_suite(sr, suite_dist());
	srunner_add_suite(sr, suite_profile());
	srunner_add_suite(sr, suite_passes());
	srunner_add_suite(sr, suite_fabric());
	srunner_add_suite(sr, suite_owgp());
	srunner_add_suite(sr, suite_place());
	srunner_add_suite(sr, suite_sim());
	srunner_add_suite(sr, suite_phase());
	srunner_add_suite(sr, suite_rtprofile());
	srunner_add_suite(sr, suite_exec());
	srunner_add_suite(sr, suite_import());
	srunner_add_suite(sr, suite_llvm());

	srunner_run_all(sr, CK_ENV);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);

	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
