#!/bin/sh
# tests/corpus/regen.sh - regenerates the generated-but-committed inputs of
# the bad-input corpus (run by hand from anywhere; the output is committed,
# tests/corpus.sh only reads it):
#   trunc-*.owg     valid-base.owg cut at a few points
#   garbage-*.owg*  a few KB of random bytes or random token soup, from a
#                   fixed-seed PRNG (Park-Miller, exact in awk's doubles, so
#                   every awk gives the same bytes)
# The hand-written inputs of this folder are not touched.
set -eu
cd "$(dirname "$0")"
export LC_ALL=C

# --- truncations of valid-base.owg ------------------------------------
base=valid-base.owg
# byte offset of the first match of a fixed string (+ extra bytes)
offset() {
	awk -v pat="$1" -v extra="$2" 'BEGIN { RS = "\001" } { i = index($0, pat); if (i) print i - 1 + extra; exit }' "$base"
}
cut_at() { # name offset
	head -c "$2" "$base" > "trunc-$1.owg"
}
cut_at 01-in-keyword "$(offset 'workflow face' 5)"         # "workf"
cut_at 02-after-open-brace "$(offset 'face_recognition {' 18)"
cut_at 03-in-task-body "$(offset 'task detect' 30)"        # inside { ... }
cut_at 04-in-string "$(offset '"detect_faces"' 7)"         # unterminated string
cut_at 05-in-number "$(offset '0.6ms' 3)"                  # "0.6" then EOF
cut_at 06-in-unit "$(offset '600KiB' 4)"                   # "600K": unknown unit
cut_at 07-in-comment "$(offset '/* the frame' 8)"          # unterminated comment
cut_at 08-after-arrow "$(offset 'decode -> detect' 10)"    # "decode ->"
cut_at 09-in-foreach "$(offset 'foreach face' 40)"
cut_at 10-before-last-brace "$(($(wc -c < "$base") - 2))" # missing final '}'

# --- random bytes -------------------------------------------------------
# rand_bytes SEED COUNT MODE > file; MODE: any (0..255), text (printable
# ASCII, newlines and braces), nul (bytes with many NULs)
rand_bytes() {
	awk -v seed="$1" -v n="$2" -v mode="$3" 'BEGIN {
		x = seed % 2147483647; if (x <= 0) x += 2147483646
		for (i = 0; i < n; i++) {
			x = (16807 * x) % 2147483647
			if (mode == "any") b = x % 256
			else if (mode == "nul") b = (x % 4 == 0) ? 0 : x % 256
			else {
				r = x % 100
				if (r < 5) b = 10; else if (r < 10) b = 123; else if (r < 15) b = 125
				else b = 32 + x % 95
			}
			printf "\\%03o", b
		}
	}' | { fmt=$(cat); printf "$fmt"; }
}
rand_bytes 1 4096 any > garbage-1-bytes.owg
rand_bytes 2 4096 text > garbage-2-text.owg
rand_bytes 3 4096 nul > garbage-3-nul.owg
rand_bytes 4 4096 any > garbage-4-bytes.owgir
rand_bytes 5 4096 text > garbage-5-text.owgir

# token_soup SEED COUNT WORDS... > file: random tokens of a language
token_soup() {
	seed=$1 n=$2
	shift 2
	printf '%s\n' "$@" | awk -v seed="$seed" -v n="$n" '
		{ tok[NR] = $0 }
		END {
			x = seed
			for (i = 0; i < n; i++) {
				x = (16807 * x) % 2147483647
				printf "%s", tok[1 + x % NR]
				x = (16807 * x) % 2147483647
				r = x % 10
				printf "%s", r < 6 ? " " : r < 8 ? "\n" : ""
			}
			printf "\n"
		}'
}
{ echo 'workflow soup {'; token_soup 6 800 workflow task import const param fabric use as if else switch case default \
	loop while max foreach in exit p out true false ai general peas time kernel config i64 f64 bool \
	'{' '}' '(' ')' ';' ':' ',' '.' '->' '+-' '==' '!=' '<=' '>=' '&&' '||' '!' '-' '+' '*' '/' '%' '~' '=' \
	a b t x 0 1 2.5 3ms 1KiB 4x4 '"s"' 'normal(1ms, 2ms)' 'mean(2)' 'cluster' 'hop' \
	; } > garbage-6-tokens.owg
{ printf 'owgir 1\nworkflow "soup"\nnode %%0 entry "entry" arms (seq)\n'; token_soup 7 800 owgir 1 workflow node flow fabric tb entry branch switch loop fork exit in ai general \
	peas time kernel out config while trips count of pred max arms '(seq)' '(then' '(else' '(case' \
	'(default)' '(body)' '(repeat' '(item)' '(taken' '(cont' p '%0' '%1' '%2' '%1.0' '%0.0' '%1.x' \
	'->' '(' ')' ':i64' ':f64' ':bool' '"a"' '"b"' 1 2 0.5 3ms 1KiB 'normal(1ms, 2ms)' 'poisson(2)' \
	'+' '<' '&&' '!' cluster 4x4 hop pea reconfig 8GiB/s control 20ns defect 3,4 \
	; } > garbage-7-tokens.owgir
echo "regenerated: trunc-*.owg garbage-*"
