// utf8proc from Debian's libutf8proc-dev; header and library live on the default search paths.
#include <utf8proc.h>
