/* vision.h - what main.c and the kernels of vision.owg share.
 *
 * Every request is one frame: a vision_job that main.c passes to
 * owgrt_exec_run as the request's input and that the kernels find with
 * owgrt_task_input.  The pixels themselves travel from kernel to kernel as
 * task data (owgrt_task_output / owgrt_task_data); the job holds what the
 * frame is (its id) and what came out of it. */
#ifndef VISION_H
#define VISION_H

#include <stddef.h>
#include <stdint.h>

#include <owgrt.h>

#define VISION_SIDE        256 /* frames are VISION_SIDE x VISION_SIDE 8-bit grey pixels */
#define VISION_MAX_OBJECTS 64  /* detect reports at most this many objects */
#define VISION_CROWD       8   /* more objects than this raise an alert (vision.owg's `crowded`) */
#define VISION_PHASE_LEN   100 /* frames per phase of the stream */

/* The phases of the stream: frame id -> phase, in a cycle of VISION_PHASES. */
enum { VISION_NIGHT, VISION_DAY, VISION_RUSH, VISION_EVENING, VISION_PHASES };

enum vision_class { VISION_SPECK, VISION_ROUND, VISION_LONG, VISION_PAIR, VISION_CLASSES };

struct vision_object {   /* written by measure, item k into obj[k] */
	uint32_t area;       /* pixels */
	uint16_t cx, cy;     /* centroid */
	uint8_t cls;         /* enum vision_class */
	uint8_t done;        /* 1 once measured */
};

struct vision_job {
	uint64_t id;         /* set by main: the frame is generated from it */
	/* written by the kernels */
	uint32_t blobs;      /* decode: blobs drawn */
	uint32_t objects;    /* detect: objects found (its output `objects`) */
	uint32_t measured;   /* report: objects measured */
	uint32_t classes[VISION_CLASSES]; /* report: objects per class */
	uint32_t crowd_cells;/* alert: occupied cells of an 8x8 grid */
	uint32_t seen_objects; /* report: detect.objects as report reads it (owgrt_task_get) */
	uint8_t alerted;     /* alert ran */
	uint8_t seen_alert;  /* report: found alert's data (owgrt_task_data) */
	uint8_t reported;    /* report ran */
	struct vision_object obj[VISION_MAX_OBJECTS];
	/* written by main's on_request */
	unsigned completed;
	double latency;
};

/* The phase of frame `id`, and its name. */
unsigned vision_phase(uint64_t id);
const char *vision_phase_name(unsigned phase);
/* The name of an object class. */
const char *vision_class_name(unsigned cls);

/* The entry `owgc -c vision.owg -o vision.o` writes (see owgrt.h): loads
 * the workflow, binds the kernels below, starts the worker threads. */
int owg_vision_open(owgrt_exec **ex, const owgrt_exec_opts *o, char *err, size_t err_size);

/* The kernels the workflow names (kernel "..." in vision.owg). */
int vision_decode(owgrt_task *t);
int vision_denoise(owgrt_task *t);
int vision_detect(owgrt_task *t);
int vision_measure(owgrt_task *t);
int vision_alert(owgrt_task *t);
int vision_report(owgrt_task *t);

#endif
