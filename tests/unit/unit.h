/* unit.h - the suites of the unit-test runner (tests/unit/main.c).
 *
 * One suite per module, each defined in tests/unit/test_<module>.c.  To add
 * one: declare it here, call srunner_add_suite() in main.c and list the file
 * in tests_unit_unit_tests_SOURCES (Makefile.am). */
#ifndef OWG_TESTS_UNIT_H
#define OWG_TESTS_UNIT_H

#include <check.h>

Suite *suite_arena(void);
Suite *suite_source(void);
Suite *suite_diag(void);
Suite *suite_lexer(void);
Suite *suite_parser(void);
Suite *suite_sema(void);
Suite *suite_ir(void);
Suite *suite_ir_text(void);
Suite *suite_ir_verify(void);
Suite *suite_dist(void);
Suite *suite_profile(void);
Suite *suite_passes(void);
Suite *suite_fabric(void);
Suite *suite_owgp(void);
Suite *suite_place(void);
Suite *suite_sim(void);
Suite *suite_phase(void);
Suite *suite_rtprofile(void);
Suite *suite_exec(void);
Suite *suite_import(void);
Suite *suite_llvm(void);

#endif
