#ifndef OWG_OWGP_WRITE_H
#define OWG_OWGP_WRITE_H
#endif
