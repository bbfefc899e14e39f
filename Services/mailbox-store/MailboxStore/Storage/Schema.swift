import GRDB

/// The SQLite schema, as migrations so that a data directory from an older version is
/// brought forward at start-up.
///
/// IMAP lives in the model: every mailbox has UIDVALIDITY, UIDNEXT and HIGHESTMODSEQ; every
/// message in a mailbox a UID, flags, a MODSEQ and an internal date; every account a change
/// log ordered by MODSEQ that keeps expunged UIDs. Content is stored once (`contents`) and
/// referenced from each mailbox that holds it (`mailbox_messages`).
enum Schema {
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1") { db in
            try db.execute(
                sql: """
                    CREATE TABLE settings (
                        key TEXT PRIMARY KEY,
                        value TEXT NOT NULL
                    );
                    CREATE TABLE domains (
                        id INTEGER PRIMARY KEY,
                        name TEXT NOT NULL UNIQUE,
                        created_at REAL NOT NULL
                    );
                    CREATE TABLE accounts (
                        id INTEGER PRIMARY KEY,
                        address TEXT NOT NULL UNIQUE,
                        domain_id INTEGER NOT NULL REFERENCES domains(id),
                        password_hash TEXT NOT NULL,
                        modseq INTEGER NOT NULL DEFAULT 0,
                        created_at REAL NOT NULL
                    );
                    CREATE TABLE aliases (
                        id INTEGER PRIMARY KEY,
                        address TEXT NOT NULL UNIQUE,
                        domain_id INTEGER NOT NULL REFERENCES domains(id),
                        targets TEXT NOT NULL
                    );
                    CREATE TABLE mailboxes (
                        id INTEGER PRIMARY KEY,
                        account_id INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
                        name TEXT NOT NULL,
                        special_use TEXT,
                        subscribed INTEGER NOT NULL DEFAULT 1,
                        uid_validity INTEGER NOT NULL,
                        uid_next INTEGER NOT NULL DEFAULT 1,
                        highest_modseq INTEGER NOT NULL DEFAULT 0,
                        UNIQUE (account_id, name)
                    );
                    -- Column order matters: the blob is last so that reading size or the parse
                    -- does not page through the message.
                    CREATE TABLE contents (
                        id INTEGER PRIMARY KEY,
                        size INTEGER NOT NULL,
                        header_size INTEGER NOT NULL,
                        created_at REAL NOT NULL,
                        parse TEXT NOT NULL,
                        raw BLOB NOT NULL
                    );
                    CREATE TABLE mailbox_messages (
                        mailbox_id INTEGER NOT NULL REFERENCES mailboxes(id) ON DELETE CASCADE,
                        uid INTEGER NOT NULL,
                        content_id INTEGER NOT NULL REFERENCES contents(id),
                        system_flags INTEGER NOT NULL DEFAULT 0,
                        keywords TEXT NOT NULL DEFAULT '',
                        modseq INTEGER NOT NULL,
                        internal_date REAL NOT NULL,
                        PRIMARY KEY (mailbox_id, uid)
                    ) WITHOUT ROWID;
                    CREATE INDEX mailbox_messages_content ON mailbox_messages(content_id);
                    CREATE TABLE changes (
                        account_id INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
                        modseq INTEGER NOT NULL,
                        kind TEXT NOT NULL,
                        mailbox_id INTEGER NOT NULL,
                        uid INTEGER,
                        flags TEXT,
                        name TEXT,
                        PRIMARY KEY (account_id, modseq)
                    ) WITHOUT ROWID;
                    CREATE TABLE idempotency (
                        key TEXT PRIMARY KEY,
                        fingerprint TEXT NOT NULL,
                        response BLOB NOT NULL,
                        created_at REAL NOT NULL
                    );
                    CREATE INDEX idempotency_created ON idempotency(created_at);
                    CREATE TABLE login_failures (
                        scope TEXT NOT NULL,
                        key TEXT NOT NULL,
                        failures INTEGER NOT NULL,
                        window_start REAL NOT NULL,
                        locked_until REAL,
                        PRIMARY KEY (scope, key)
                    ) WITHOUT ROWID;
                    """)
        }
        migrator.registerMigration("v2-outbound-queue") { db in
            // One entry per accepted message with remote recipients; its recipients each keep
            // their own state so that a partial delivery is retried only where it failed.
            try db.execute(
                sql: """
                    CREATE TABLE queue_messages (
                        id INTEGER PRIMARY KEY,
                        content_id INTEGER NOT NULL REFERENCES contents(id),
                        sender TEXT NOT NULL,
                        ret TEXT,
                        envid TEXT,
                        smtputf8 INTEGER NOT NULL DEFAULT 0,
                        body TEXT,
                        created_at REAL NOT NULL,
                        state TEXT NOT NULL DEFAULT 'deferred',
                        next_attempt REAL NOT NULL,
                        attempts INTEGER NOT NULL DEFAULT 0,
                        last_error TEXT,
                        lease_owner TEXT,
                        lease_expires REAL
                    );
                    CREATE INDEX queue_messages_due ON queue_messages(state, next_attempt);
                    CREATE INDEX queue_messages_content ON queue_messages(content_id);
                    CREATE TABLE queue_recipients (
                        queue_id INTEGER NOT NULL REFERENCES queue_messages(id) ON DELETE CASCADE,
                        address TEXT NOT NULL,
                        domain TEXT NOT NULL,
                        notify TEXT,
                        orcpt TEXT,
                        state TEXT NOT NULL DEFAULT 'pending',
                        last_error TEXT,
                        PRIMARY KEY (queue_id, address)
                    ) WITHOUT ROWID;
                    """)
        }
        migrator.registerMigration("v3-locks") { db in
            // Leases across gateway instances (the POP3 maildrop lock); expired rows are
            // simply overwritten by the next taker.
            try db.execute(
                sql: """
                    CREATE TABLE locks (
                        account_id INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
                        name TEXT NOT NULL,
                        token TEXT NOT NULL,
                        owner TEXT NOT NULL,
                        expires_at REAL NOT NULL,
                        PRIMARY KEY (account_id, name)
                    ) WITHOUT ROWID;
                    """)
        }
        migrator.registerMigration("v4-relay") { db in
            try db.execute(
                sql: """
                    ALTER TABLE queue_messages ADD COLUMN delay_warned INTEGER NOT NULL DEFAULT 0;
                    ALTER TABLE queue_recipients ADD COLUMN status TEXT;
                    ALTER TABLE queue_recipients ADD COLUMN remote_mta TEXT;
                    """)
        }
        migrator.registerMigration("v5-scram") { db in
            // SCRAM-SHA-256 keys beside the bcrypt hash, in the RFC 5803 §3 form
            // (`SCRAM-SHA-256$i:salt$StoredKey:ServerKey`). NULL for accounts from before:
            // their keys are computed at their next password login.
            try db.execute(sql: "ALTER TABLE accounts ADD COLUMN scram_keys TEXT")
        }
        migrator.registerMigration("v6-login-throttle") { db in
            // The login policy counts per account name, per client address and per (address,
            // name) pair; the two columns say which name and address a row is about, so that
            // an administrator can list and clear them by either (`mailctl user unlock`).
            try db.execute(
                sql: """
                    ALTER TABLE login_failures ADD COLUMN account TEXT;
                    ALTER TABLE login_failures ADD COLUMN address TEXT;
                    UPDATE login_failures SET account = key WHERE scope = 'account';
                    UPDATE login_failures SET address = key WHERE scope = 'address';
                    CREATE INDEX login_failures_account ON login_failures(account);
                    CREATE INDEX login_failures_address ON login_failures(address);
                    """)
        }
        migrator.registerMigration("v6-autoincrement") { db in
            // Ids that leave the store must never name two things: queue ids are in logs,
            // delivery notices, idempotent answers and `mailctl queue`; mailbox and content ids
            // in gateways' caches and listings. Without AUTOINCREMENT SQLite hands out
            // max(id)+1, so an emptied queue starts again at 1. (Ids given out before this
            // migration and no longer in a table cannot be known; from here on none repeats.)
            for table in ["domains", "accounts", "aliases", "mailboxes", "contents", "queue_messages"] {
                try SchemaRebuild.addAutoincrement(db, table: table)
            }
        }
        migrator.registerMigration("v6-resend-digest") { db in
            // A client's resend of a message already stored (ResendDigest): the first answer,
            // kept for BUZON_STORE_RESEND_WINDOW, in the database so that it outlives a restart.
            try db.execute(
                sql: """
                    CREATE TABLE resend_digests (
                        digest TEXT PRIMARY KEY,
                        response BLOB NOT NULL,
                        created_at REAL NOT NULL
                    );
                    CREATE INDEX resend_digests_created ON resend_digests(created_at);
                    """)
        }
        migrator.registerMigration("v7-login-repeated-password") { db in
            // A keyed hash (HMAC-SHA-256, a key in the store's memory) of the last password that failed for
            // an (address, name) pair: the same wrong password again is not counted again.
            try db.execute(sql: "ALTER TABLE login_failures ADD COLUMN password_mark TEXT")
        }
        migrator.registerMigration("v8-credential-version") { db in
            // Bumped by every change of what may log in (a new password; later disabling):
            // each store replica's authentication cache (`AuthCache`) compares its entry with
            // it at every hit, read with the hash by the account's unique index, so a change
            // made through any replica ends the cached logins of all at once.
            try db.execute(sql: "ALTER TABLE accounts ADD COLUMN credential_version INTEGER NOT NULL DEFAULT 0")
        }
        migrator.registerMigration("v8-message-index") { db in
            // The read model (issue 12): per content (shared by the mailboxes holding it), what
            // SEARCH, SORT and THREAD read instead of the message (`MessageIndexEntry`), written
            // in the delivery's transaction; older content is indexed by `MessageIndexer` in the
            // background, and until then searched by scanning. `message_text` holds the searchable
            // texts folded as the evaluator folds them (so `case_sensitive 1`: the folding is
            // ours, identical to the scan's), under FTS5's trigram tokenizer, which gives
            // substring matches for needles of three characters or more; shorter ones use instr()
            // on the same columns. A NULL column is a field the message does not have.
            try db.execute(
                sql: """
                    CREATE TABLE message_index (
                        content_id INTEGER PRIMARY KEY,
                        subject TEXT,
                        base_subject TEXT NOT NULL DEFAULT '',
                        subject_is_reply INTEGER NOT NULL DEFAULT 0,
                        sent_at INTEGER,
                        sent_day INTEGER,
                        size INTEGER NOT NULL,
                        message_id TEXT,
                        in_reply_to TEXT,
                        refs TEXT,
                        list_id TEXT,
                        has_attachment INTEGER NOT NULL,
                        sort_from TEXT NOT NULL,
                        sort_to TEXT NOT NULL,
                        sort_cc TEXT NOT NULL,
                        display_from TEXT NOT NULL,
                        display_to TEXT NOT NULL,
                        needs_characters INTEGER NOT NULL
                    );
                    CREATE VIRTUAL TABLE message_text USING fts5(
                        from_text, to_text, cc_text, bcc_text, reply_to_text, sender_text, subject_text,
                        headers, body, mime,
                        tokenize = 'trigram case_sensitive 1'
                    );
                    CREATE TRIGGER contents_unindex AFTER DELETE ON contents BEGIN
                        DELETE FROM message_index WHERE content_id = old.id;
                        DELETE FROM message_text WHERE rowid = old.id;
                    END;
                    """)
        }
        migrator.registerMigration("v8-thread-ids") { db in
            // A conversation id per message per account, kept at delivery (SQLiteStorage+Threads):
            // every message id an account has seen (Message-ID, In-Reply-To, References) names
            // its thread, so a conversation is one lookup (OBJECTID THREADID, webmail).
            try db.execute(
                sql: """
                    CREATE TABLE thread_ids (
                        account_id INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
                        message_id TEXT NOT NULL,
                        thread_id INTEGER NOT NULL,
                        PRIMARY KEY (account_id, message_id)
                    ) WITHOUT ROWID;
                    CREATE INDEX thread_ids_thread ON thread_ids(account_id, thread_id);
                    CREATE TABLE content_threads (
                        account_id INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
                        content_id INTEGER NOT NULL,
                        thread_id INTEGER NOT NULL,
                        PRIMARY KEY (account_id, content_id)
                    ) WITHOUT ROWID;
                    CREATE INDEX content_threads_thread ON content_threads(account_id, thread_id);
                    CREATE TRIGGER contents_unthread AFTER DELETE ON contents BEGIN
                        DELETE FROM content_threads WHERE content_id = old.id;
                    END;
                    """)
        }
        migrator.registerMigration("v9-subscriptions") { db in
            // RFC 3501 §6.3.6 / RFC 9051 §6.3.7: a subscription is to a name, not to a mailbox.
            // It outlives the mailbox's DELETE, may name a mailbox that does not exist, and is
            // left behind by RENAME (RFC 9051 §6.3.6). `mailboxes.subscribed` is no longer read;
            // its rows are carried over here once.
            try db.execute(
                sql: """
                    CREATE TABLE subscriptions (
                        account_id INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
                        name TEXT NOT NULL,
                        PRIMARY KEY (account_id, name)
                    ) WITHOUT ROWID;
                    INSERT OR IGNORE INTO subscriptions (account_id, name)
                        SELECT account_id, name FROM mailboxes WHERE subscribed != 0;
                    """)
        }
        migrator.registerMigration("v9-recent") { db in
            // IMAP4rev1 \Recent (RFC 3501 §2.3.2): the largest UID of the mailbox some session
            // has been told is recent (`claimRecent`). Messages already there when this runs
            // count as seen by a session: an upgrade does not make a whole mailbox recent.
            try db.execute(
                sql: """
                    ALTER TABLE mailboxes ADD COLUMN recent_uid INTEGER NOT NULL DEFAULT 0;
                    UPDATE mailboxes SET recent_uid = uid_next - 1;
                    """)
        }
        migrator.registerMigration("v9-message-id-numbers") { db in
            // Message ids numbered (issue 12): every id the index holds (Message-ID, In-Reply-To,
            // References, as `SortColumns` parses them) gets one number, store-wide as
            // `message_index` is per content; `id_numbers` holds a content's numbers
            // (`MessageIDNumbers`' blob), written with its entry, so THREAD=REFERENCES reads
            // integers instead of interning text. NULL is not numbered yet: entries written
            // before this migration are numbered by `MessageIndexer` in the background, and
            // until then THREAD reads their ids as text (SQLiteStorage+Sort).
            try db.execute(
                sql: """
                    CREATE TABLE message_id_numbers (
                        number INTEGER PRIMARY KEY,
                        message_id TEXT NOT NULL UNIQUE
                    );
                    ALTER TABLE message_index ADD COLUMN id_numbers BLOB;
                    -- What is left to number, found without a scan; empty once numbered.
                    CREATE INDEX message_index_unnumbered ON message_index(content_id) WHERE id_numbers IS NULL;
                    """)
        }
        migrator.registerMigration("v10-objectid") { db in
            // RFC 8474 object ids, kept so that JMAP (RFC 8620/8621) can hand out the same ones:
            // MAILBOXID per mailbox (survives RENAME: it is the row's), EMAILID per content (a
            // COPY or MOVE shares the content, so keeps it, as RFC 8474 §5.1 recommends), and
            // THREADID per conversation (`content_threads`, fixed when first given: RFC 8621 §4.1.1
            // makes a message's thread id immutable). Random (`ObjectIDs`), so that an id says
            // nothing of how many mailboxes or messages the store holds (RFC 8474 §7); existing
            // rows get theirs here, one per thread for the threads.
            try db.execute(
                sql: """
                    ALTER TABLE mailboxes ADD COLUMN object_id TEXT;
                    UPDATE mailboxes SET object_id = 'F' || lower(hex(randomblob(12)));
                    CREATE UNIQUE INDEX mailboxes_object_id ON mailboxes(object_id);
                    -- Beside `contents`, not in it: a column after the blob would page through it.
                    CREATE TABLE email_ids (
                        content_id INTEGER PRIMARY KEY,
                        email_id TEXT NOT NULL UNIQUE
                    );
                    INSERT INTO email_ids (content_id, email_id) SELECT id, 'M' || lower(hex(randomblob(12))) FROM contents;
                    CREATE TRIGGER contents_unemail AFTER DELETE ON contents BEGIN
                        DELETE FROM email_ids WHERE content_id = old.id;
                    END;
                    ALTER TABLE content_threads ADD COLUMN object_id TEXT;
                    CREATE TEMP TABLE thread_object_ids AS
                        SELECT account_id, thread_id, 'T' || lower(hex(randomblob(12))) AS object_id
                        FROM content_threads GROUP BY account_id, thread_id;
                    UPDATE content_threads SET object_id = (
                        SELECT t.object_id FROM thread_object_ids t
                        WHERE t.account_id = content_threads.account_id AND t.thread_id = content_threads.thread_id);
                    DROP TABLE thread_object_ids;
                    """)
        }
        migrator.registerMigration("v10-savedate") { db in
            // RFC 8514: when a message was put into its mailbox (APPEND, COPY, MOVE, delivery),
            // set by `insertMessage`. RFC 8514 §4.1 allows NIL only for a mailbox that keeps no
            // save dates; every mailbox here keeps them, so a message from before this migration
            // takes its internal date: the moment of delivery for delivered mail, the client's
            // date for an APPEND — the best the store knows.
            try db.execute(
                sql: """
                    ALTER TABLE mailbox_messages ADD COLUMN save_date REAL;
                    UPDATE mailbox_messages SET save_date = internal_date;
                    """)
        }
        migrator.registerMigration("v10-quota") { db in
            // Quotas (RFC 9208): per account, limits (NULL: none) and usage kept exactly by
            // triggers, so that every write that adds or removes a message (delivery, APPEND,
            // COPY, MOVE, EXPUNGE, DELETE of a mailbox or account) updates it in its own
            // transaction, whichever code path it takes; the store has one writer, so a check
            // against it inside a write sees every earlier commit (SQLiteStorage+Quota).
            // `storage_limit` is in KiB (RFC 9208 §5.1), `storage_used` in octets.
            // A mailbox's rows deleted by ON DELETE CASCADE no longer find their mailbox, so
            // DELETE of a mailbox subtracts its sums before it goes (`mailboxes_unquota`).
            try db.execute(
                sql: """
                    CREATE TABLE quotas (
                        account_id INTEGER PRIMARY KEY REFERENCES accounts(id) ON DELETE CASCADE,
                        storage_limit INTEGER,
                        message_limit INTEGER,
                        storage_used INTEGER NOT NULL DEFAULT 0,
                        messages_used INTEGER NOT NULL DEFAULT 0
                    );
                    INSERT INTO quotas (account_id, storage_used, messages_used)
                        SELECT a.id,
                            (SELECT COALESCE(SUM(c.size), 0) FROM mailboxes m JOIN mailbox_messages mm ON mm.mailbox_id = m.id
                                JOIN contents c ON c.id = mm.content_id WHERE m.account_id = a.id),
                            (SELECT COUNT(*) FROM mailboxes m JOIN mailbox_messages mm ON mm.mailbox_id = m.id
                                WHERE m.account_id = a.id)
                        FROM accounts a;
                    CREATE TRIGGER accounts_quota AFTER INSERT ON accounts BEGIN
                        INSERT INTO quotas (account_id) VALUES (new.id);
                    END;
                    CREATE TRIGGER mailbox_messages_quota_add AFTER INSERT ON mailbox_messages BEGIN
                        UPDATE quotas SET storage_used = storage_used + (SELECT size FROM contents WHERE id = new.content_id),
                            messages_used = messages_used + 1
                        WHERE account_id = (SELECT account_id FROM mailboxes WHERE id = new.mailbox_id);
                    END;
                    CREATE TRIGGER mailbox_messages_quota_remove AFTER DELETE ON mailbox_messages BEGIN
                        UPDATE quotas SET storage_used = storage_used - (SELECT size FROM contents WHERE id = old.content_id),
                            messages_used = messages_used - 1
                        WHERE account_id = (SELECT account_id FROM mailboxes WHERE id = old.mailbox_id);
                    END;
                    CREATE TRIGGER mailboxes_unquota BEFORE DELETE ON mailboxes BEGIN
                        UPDATE quotas SET
                            storage_used = storage_used - (SELECT COALESCE(SUM(c.size), 0) FROM mailbox_messages mm
                                JOIN contents c ON c.id = mm.content_id WHERE mm.mailbox_id = old.id),
                            messages_used = messages_used - (SELECT COUNT(*) FROM mailbox_messages WHERE mailbox_id = old.id)
                        WHERE account_id = old.account_id;
                    END;
                    """)
        }
        migrator.registerMigration("v10-acl") { db in
            // Access control lists (RFC 4314): who besides the owner may do what with a mailbox.
            // A grant names an account by id (`grantee_id`), so that deleting the account drops
            // its grants and an account made later with the same address inherits nothing;
            // `anyone` (every account of the owner's domain) has no grantee. Rows go with their
            // mailbox (RFC 4314 §3: a deleted mailbox's ACL must not outlive it).
            try db.execute(
                sql: """
                    CREATE TABLE acl (
                        mailbox_id INTEGER NOT NULL REFERENCES mailboxes(id) ON DELETE CASCADE,
                        identifier TEXT NOT NULL,
                        grantee_id INTEGER REFERENCES accounts(id) ON DELETE CASCADE,
                        rights INTEGER NOT NULL,
                        PRIMARY KEY (mailbox_id, identifier)
                    ) WITHOUT ROWID;
                    CREATE INDEX acl_grantee ON acl(grantee_id);
                    """)
        }
        migrator.registerMigration("v10-metadata") { db in
            // METADATA (RFC 5464): entries of a mailbox, or of the server (`mailbox_id` 0) for
            // the account. Names lower-cased, with their /private or /shared prefix.
            try db.execute(
                sql: """
                    CREATE TABLE metadata (
                        account_id INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
                        mailbox_id INTEGER NOT NULL,
                        name TEXT NOT NULL,
                        value BLOB NOT NULL,
                        PRIMARY KEY (account_id, mailbox_id, name)
                    ) WITHOUT ROWID;
                    """)
        }
        migrator.registerMigration("v10-shared-indexes") { db in
            // A shared mailbox's `/private` METADATA entries are each reader's, so a deleted
            // mailbox takes every account's (the trigger; entries a deleted mailbox left behind
            // before it are dropped here). `anyone` grants reach every account of a domain.
            try db.execute(
                sql: """
                    CREATE INDEX metadata_mailbox ON metadata(mailbox_id);
                    DELETE FROM metadata WHERE mailbox_id <> 0 AND mailbox_id NOT IN (SELECT id FROM mailboxes);
                    CREATE TRIGGER mailboxes_unmetadata AFTER DELETE ON mailboxes BEGIN
                        DELETE FROM metadata WHERE mailbox_id = old.id;
                    END;
                    CREATE INDEX IF NOT EXISTS accounts_domain ON accounts(domain_id);
                    """)
        }
        migrator.registerMigration("v11-message-size") { db in
            // Each message's size beside its UID and flags: a listing (the first SELECT of a
            // 100,000-message mailbox) then reads no content row, each a page of its own.
            try db.execute(
                sql: """
                    ALTER TABLE mailbox_messages ADD COLUMN size INTEGER NOT NULL DEFAULT 0;
                    UPDATE mailbox_messages SET size = (SELECT size FROM contents WHERE contents.id = mailbox_messages.content_id);
                    """)
        }
        migrator.registerMigration("v12-search-scan") { db in
            // The messages a text SEARCH must read because the index cannot answer for them
            // (content not indexed yet, or texts with combining marks: `needs_characters`),
            // marked beside the UID and found through a partial index, so that a text search
            // starts from the FTS matches instead of walking the mailbox (SQLiteStorage+Search).
            // Triggers keep the mark equal to "no entry, or an entry that needs characters"
            // whatever writes or drops an entry.
            try db.execute(
                sql: """
                    ALTER TABLE mailbox_messages ADD COLUMN needs_scan INTEGER NOT NULL DEFAULT 0;
                    UPDATE mailbox_messages SET needs_scan = 1 WHERE NOT EXISTS (
                        SELECT 1 FROM message_index mi WHERE mi.content_id = mailbox_messages.content_id AND NOT mi.needs_characters);
                    CREATE INDEX mailbox_messages_scan ON mailbox_messages(mailbox_id, uid) WHERE needs_scan;
                    CREATE TRIGGER message_index_added AFTER INSERT ON message_index BEGIN
                        UPDATE mailbox_messages SET needs_scan = new.needs_characters WHERE content_id = new.content_id;
                    END;
                    CREATE TRIGGER message_index_changed AFTER UPDATE OF needs_characters ON message_index BEGIN
                        UPDATE mailbox_messages SET needs_scan = new.needs_characters WHERE content_id = new.content_id;
                    END;
                    CREATE TRIGGER message_index_dropped AFTER DELETE ON message_index BEGIN
                        UPDATE mailbox_messages SET needs_scan = 1 WHERE content_id = old.content_id;
                    END;
                    """)
        }
        migrator.registerMigration("v13-web-sessions") { db in
            // Webmail logins (issue 14): kept here so that any webmail instance serves any
            // user. The id itself is never stored, only its SHA-256; a session is valid only
            // while the account's credential version is the one it was made under.
            try db.execute(
                sql: """
                    CREATE TABLE web_sessions (
                        id_hash BLOB PRIMARY KEY,
                        account_id INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
                        credential_version INTEGER NOT NULL,
                        csrf TEXT NOT NULL,
                        ttl REAL NOT NULL,
                        used_at REAL NOT NULL,
                        expires_at REAL NOT NULL
                    ) WITHOUT ROWID;
                    CREATE INDEX web_sessions_account ON web_sessions(account_id, expires_at);
                    """)
        }
        return migrator
    }
}
