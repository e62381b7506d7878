/* text_string.h - the quoted strings of owgc's own text formats (the IR
 * text, profiles): UTF-8 text with the escapes \" \\ \n \t, and \xHH for
 * the other control characters.  One decoder, so that every reader
 * accepts exactly what the writers write. */
#ifndef OWG_TEXT_STRING_H
#define OWG_TEXT_STRING_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Decodes s[b, e) (the text between the quotes) into out, which has room
 * for e - b + 1 bytes, NUL-terminated.  On an error returns false with a
 * message in msg (msg_size bytes) and the offending bytes at [*eb, *ee). */
bool owg_text_unescape(const char *s, uint32_t b, uint32_t e, char *out, char *msg, size_t msg_size,
		       uint32_t *eb, uint32_t *ee);

#endif
