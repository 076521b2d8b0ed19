# threads.mk: the friction search runs on several cores (lib/costdist_par.c,
# POSIX threads).
CFLAGS  += -pthread
LDFLAGS += -pthread
