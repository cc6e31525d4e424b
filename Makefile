# Build and install mhalearn: `make install PREFIX=/usr/local` puts the binary in PREFIX/bin and the
# lessons and exercises in PREFIX/share/mhalearn, where the installed binary looks for them.
PREFIX ?= /usr/local
SWIFT ?= swift
CONFIG ?= release
BINDIR = $(PREFIX)/bin
SHAREDIR = $(PREFIX)/share/mhalearn

.PHONY: all build test install uninstall

all: build

build:
	$(SWIFT) build -c $(CONFIG) --product mhalearn

test:
	$(SWIFT) test

install: build
	mkdir -p "$(BINDIR)" "$(SHAREDIR)"
	install -m 755 "$$($(SWIFT) build -c $(CONFIG) --show-bin-path)/mhalearn" "$(BINDIR)/mhalearn"
	for dir in lessons exercises; do \
		if [ -d "$$dir" ]; then rm -rf "$(SHAREDIR)/$$dir" && cp -R "$$dir" "$(SHAREDIR)/$$dir"; fi; \
	done

uninstall:
	rm -f "$(BINDIR)/mhalearn"
	rm -rf "$(SHAREDIR)"
