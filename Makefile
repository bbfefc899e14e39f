# The two commands of the README, and the benchmarks.
.PHONY: up test stress stress-imap lint format fuzz build bench bench-smtp bench-pop3 bench-imap bench-logins bench-relay bench-webmail screenshots clean

up:            ## build and run every service locally (Ctrl-C stops)
	./scripts/up.sh

test:          ## run every test (Swift, then end to end with real clients)
	./scripts/test.sh

stress:        ## the store killed and restarted under resending SMTP clients, for STRESS_SECONDS (default 180); the IMAP shared view on 50,000 messages; stress-imap
	SWIFT_DETERMINISTIC_HASHING=1 swift build
	BUZON_BIN="$$(swift build --show-bin-path)" STRESS_SECONDS=$${STRESS_SECONDS:-180} \
		python3 -m pytest -q -s Tests/EndToEnd/test_smtp_store_restart.py -k killed
	BUZON_BIN="$$(swift build --show-bin-path)" BUZON_TEST_BIG_MAILBOX=50000 \
		python3 -m pytest -q -s Tests/EndToEnd/test_imap_shared_view.py -k big_mailbox
	$(MAKE) stress-imap

stress-imap:   ## random IMAP sessions on two gateways checked against a model, for STRESS_SECONDS (default 300; BUZON_STRESS_SEED=n repeats a run)
	SWIFT_DETERMINISTIC_HASHING=1 swift build
	BUZON_BIN="$$(swift build --show-bin-path)" BUZON_IMAP_STRESS=1 STRESS_SECONDS=$${STRESS_SECONDS:-300} \
		python3 -m pytest -q -s Tests/EndToEnd/test_imap_stress.py

lint:          ## swift format lint --strict over the tree (CI runs it first)
	./scripts/lint.sh

format:        ## rewrite the tree with swift format so that lint passes
	./scripts/lint.sh --fix

build:
	SWIFT_DETERMINISTIC_HASHING=1 swift build

fuzz:          ## libFuzzer on every parser, FUZZ_SECONDS each (default 60); FUZZ_TARGETS="a b" picks some
	./scripts/fuzz.sh

bench:         ## store delivery benchmark; figures go into docs/BENCHMARKS.md
	./scripts/bench-store.sh

bench-smtp:    ## SMTP in -> mailbox, Buzón beside Postfix + Dovecot (installs them; root)
	./scripts/bench-smtp.sh

bench-pop3:    ## POP3 LIST + RETR, Buzón beside Dovecot default and tuned (installs it; root)
	./scripts/bench-pop3.sh

bench-imap:    ## IMAP mix, 100k mailbox, IDLE memory, new-mail delay; Buzón beside Dovecot default and tuned (installs it; root)
	./scripts/bench-imap.sh

bench-logins:  ## 200 IMAP logins of the same users repeated, Buzón beside Dovecot default and with its auth cache (installs it; root)
	./scripts/bench-logins.sh

bench-relay:   ## relay from a full queue to smtp-sink, Buzón beside Postfix (installs it; root)
	./scripts/bench-relay.sh

bench-webmail: ## webmail: a 100,000-message folder's first page and a 1 MiB message under 20 users, page weights
	swift build -c release --product mailbox-store && swift build -c release --product webmail
	python3 Benchmarks/webmail-load.py --bin "$$(swift build -c release --show-bin-path)"

screenshots:   ## the webmail's pages at desktop and phone width, light and dark, into docs/screenshots/
	SWIFT_DETERMINISTIC_HASHING=1 swift build
	BUZON_BIN="$$(swift build --show-bin-path)" python3 scripts/webmail-screenshots.py

clean:
	rm -rf .build
