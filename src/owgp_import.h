#ifndef OWG_OWGP_IMPORT_H
#define OWG_OWGP_IMPORT_H
#endif
