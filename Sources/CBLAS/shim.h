#include <cblas.h>
/* Exported by OpenBLAS but not declared in cblas.h: stops its worker pool (restarted on demand). */
int blas_thread_shutdown_(void);
