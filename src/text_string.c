#include "config.h"

#include "text_string.h"

#include <stdio.h>
#include <string.h>

#include "source.h"

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

bool owg_text_unescape(const char *s, uint32_t b, uint32_t e, char *out, char *msg, size_t msg_size,
		       uint32_t *eb, uint32_t *ee)
{
	size_t n = 0;
	for (uint32_t i = b; i < e; i++) {
		unsigned char c = (unsigned char)s[i];
		*eb = i;
		*ee = i + 1;
		if (c < 0x20 || c == 0x7f) {
			snprintf(msg, msg_size, "control character in string (write it as \\xHH)");
			return false;
		}
		if (c >= 0x80) {
			/* owgc writes only UTF-8 text; anything else was damaged */
			size_t len = owg_utf8_len((const unsigned char *)s + i, e - i);
			if (len == 0) {
				snprintf(msg, msg_size, "invalid UTF-8 byte 0x%02x in string", c);
				return false;
			}
			memcpy(out + n, s + i, len);
			n += len;
			i += (uint32_t)len - 1;
			continue;
		}
		if (c != '\\') {
			out[n++] = (char)c;
			continue;
		}
		char x = i + 1 < e ? s[i + 1] : '\0';
		if (x == '"' || x == '\\' || x == 'n' || x == 't') {
			out[n++] = x == 'n' ? '\n' : x == 't' ? '\t' : x;
			i++;
		} else if (x == 'x' && i + 3 < e && hexval(s[i + 2]) >= 0 && hexval(s[i + 3]) >= 0) {
			int v = hexval(s[i + 2]) * 16 + hexval(s[i + 3]);
			*ee = i + 4;
			if (v == 0) {
				snprintf(msg, msg_size, "NUL character in string");
				return false;
			}
			if (v == '\n' || v == '\t' || (v >= 0x20 && v != 0x7f)) {
				snprintf(msg, msg_size, "invalid escape sequence (write %s)",
					 v == '\n' ? "\\n" : v == '\t' ? "\\t" : "the character itself");
				return false;
			}
			out[n++] = (char)v;
			i += 3;
		} else {
			*ee = i + 2 <= e ? i + 2 : i + 1;
			snprintf(msg, msg_size, "invalid escape sequence");
			return false;
		}
	}
	out[n] = '\0';
	return true;
}
