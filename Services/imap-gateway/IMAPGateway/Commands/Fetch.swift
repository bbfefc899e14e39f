import IMAPProtocol
import InternetMessage
import MessageSearch
import StoreAPI

/// FETCH and UID FETCH: every data item of RFC 9051 §6.4.5 and RFC 3516 (BINARY), with
/// CHANGEDSINCE and VANISHED (RFC 7162 §3.1.4, §3.2.6). Parts are byte ranges of the stored
/// message located with the parse kept at delivery.
extension IMAPSession {
    func fetch(_ set: SequenceSet, _ attributes: [FetchAttribute], _ modifiers: FetchModifiers, uid: Bool) async throws -> Completion {
        guard let account, let view else { return .bad("No mailbox selected") }
        guard case .uids(let uids) = view.resolve(set, uid: uid, saved: savedSearch) else { return .bad("Invalid message number") }
        if modifiers.vanished && !(uid && qresyncEnabled) { return .bad("VANISHED needs UID FETCH and ENABLE QRESYNC") }
        // RFC 7162 §3.1: CHANGEDSINCE and FETCH MODSEQ are CONDSTORE-enabling commands.
        if modifiers.changedSince != nil || attributes.contains(.modSeq) { condstoreActive = true }
        // RFC 7162 §3.1: once CONDSTORE is on, every untagged FETCH carries MODSEQ.
        let includeModSeq = condstoreActive
        var plan = FetchPlan(attributes, uid: uid, modSeq: includeModSeq)
        if view.readOnly { plan.setsSeen = false }

        if modifiers.vanished, let since = modifiers.changedSince {
            let largest = max(view.largestUID, view.mailbox.uidNext)
            let gone = try await expungedUIDs(account, mailbox: view.mailbox.id, since: since).filter { set.contains($0, largest: largest) }
            if !gone.isEmpty { try await send(.vanished(earlier: true, uids: gone)) }
        }
        var live = uids.filter { !view.isExpunged($0) }
        // RFC 9394 §3.2: PARTIAL picks among the messages the set names that exist, in UID
        // order; after CHANGEDSINCE's filter when both are given (below).
        if let partial = modifiers.partial, modifiers.changedSince == nil { live = partial.window(live.sorted()) }
        if live.isEmpty { return .ok("FETCH completed") }
        // RFC 8474 / RFC 8514 items: one listing (a page per 10,000 messages) for the whole set.
        if plan.needsObjects { plan.objects = try await messageObjects(account, view.mailbox.id, uids: UIDSetCompression.sorted(live)) }

        // Only what the view holds (UID, FLAGS, RFC822.SIZE, INTERNALDATE): no store call for
        // most messages, as for `UID FETCH 1:* (FLAGS)` of a 100,000-message mailbox.
        if plan.need.isNone, !plan.setsSeen, modifiers.changedSince == nil, !plan.attributes.contains(.modSeq) {
            return try await fetchFromView(account, live, plan)
        }
        let liveSet = UIDSetCompression.sorted(live)

        var failure: Completion?
        var implicitFlags = Set<UInt32>()

        // Content without side effects: flags and content come in the same answers, one store
        // call per page of messages.
        if !plan.need.isNone, !plan.setsSeen, modifiers.changedSince == nil {
            try await eachContentPage(account, view.mailbox.id, uids: liveSet, need: plan.need) { page in
                for (summary, content) in page {
                    failure = try await respond(summary, content, plan, implicit: false) ?? failure
                }
            }
            return failure ?? .ok("FETCH completed")
        }

        var messages = try await store.summaries(account, view.mailbox.id, uids: liveSet)
        if let since = modifiers.changedSince {
            messages = messages.filter { $0.modSeq > since }
            if let partial = modifiers.partial { messages = partial.window(messages.sorted { $0.uid < $1.uid }) }
        }

        // RFC 4314 §4 FETCH: reading a shared mailbox's message sets \Seen only with `s`.
        if plan.setsSeen, sharedSelection?.rights.contains(.seen) ?? true {
            let unseen = messages.filter { !$0.flags.contains(MessageFlag.seen) }.map(\.uid)
            if !unseen.isEmpty {
                let result = try await store.updateFlags(
                    account, mailbox: view.mailbox.id,
                    FlagUpdateRequest(uids: UIDSetCompression.sorted(unseen), operation: .add, flags: [MessageFlag.seen]))
                let updated = Dictionary(result.messages.map { ($0.uid, $0) }, uniquingKeysWith: { a, _ in a })
                for index in messages.indices {
                    guard let new = updated[messages[index].uid] else { continue }
                    messages[index].flags = new.flags
                    messages[index].modSeq = new.modSeq
                    self.view?.noteFlags(new.uid, new.flags, modSeq: new.modSeq)
                    implicitFlags.insert(new.uid)
                }
            }
        }

        if plan.need.isNone {
            for message in messages {
                failure = try await respond(message, nil, plan, implicit: implicitFlags.contains(message.uid)) ?? failure
            }
            return failure ?? .ok("FETCH completed")
        }
        // The summaries read above (with the flags just set) answer; the batch brings content.
        guard !messages.isEmpty else { return .ok("FETCH completed") }
        let byUID = Dictionary(messages.map { ($0.uid, $0) }, uniquingKeysWith: { a, _ in a })
        try await eachContentPage(account, view.mailbox.id, uids: UIDSetCompression.sorted(messages.map(\.uid)), need: plan.need) { page in
            for (summary, content) in page {
                guard let message = byUID[summary.uid] else { continue }
                failure = try await respond(message, content, plan, implicit: implicitFlags.contains(message.uid)) ?? failure
            }
        }
        return failure ?? .ok("FETCH completed")
    }

    /// One message's FETCH response, from its summary and (when the plan reads any) content;
    /// the completion that ends the command when the message cannot be answered.
    func respond(_ message: MessageSummary, _ content: MessageContent?, _ plan: FetchPlan, implicit: Bool) async throws -> Completion? {
        guard let view, let seq = view.sequence(of: message.uid) else { return nil }
        var message = message
        // A keyword another session just set: FLAGS names it before this FETCH does (RFC 3501 §7.2.6).
        if !view.knowsKeywords(message.flags) { try await announceKeywords(in: [message.flags]) }
        message.flags = view.clientFlags(message.uid, message.flags)  // RFC 3501 §2.3.2 \Recent
        switch FetchResponseBuilder.items(plan.attributes, message, content, objects: plan.objects[message.uid]) {
        case .success(var items):
            if implicit {
                if !plan.attributes.contains(.flags) { items.append(.flags(message.flags)) }
                // RFC 7162 §3.1: a FETCH that implicitly set \Seen reports UID and MODSEQ once
                // CONDSTORE is on.
                if condstoreActive, !plan.attributes.contains(.uid) { items.insert(.uid(message.uid), at: 0) }
                if condstoreActive, !plan.attributes.contains(.modSeq) { items.append(.modSeq(message.modSeq)) }
            }
            try await send(.fetch(seq, items))
            return nil
        case .failure(let problem):
            return problem
        }
    }
}

/// Turns one message's summary and content into FETCH items, in the order asked.
enum FetchResponseBuilder {
    static func items(
        _ attributes: [FetchAttribute], _ message: MessageSummary, _ content: MessageContent?, objects: MessageObjects? = nil
    ) -> Result<[FetchItem], Completion> {
        var items: [FetchItem] = []
        for attribute in attributes {
            switch attribute {
            case .uid: items.append(.uid(message.uid))
            case .flags: items.append(.flags(message.flags))
            case .internalDate: items.append(.internalDate(message.internalDate))
            case .rfc822Size: items.append(.rfc822Size(message.size))
            case .modSeq: items.append(.modSeq(message.modSeq))
            case .envelope:
                guard let parse = content?.parse else { return .failure(.no("Message content unavailable", .serverBug)) }
                items.append(.envelope(parse.envelope))
            case .body, .bodyStructure:
                guard let parse = content?.parse else { return .failure(.no("Message content unavailable", .serverBug)) }
                items.append(.bodyStructure(parse.root, extended: attribute == .bodyStructure))
            case .rfc822:
                items.append(.rfc822(content?.bytes ?? []))
            case .rfc822Header:
                items.append(.rfc822Header(content.map(header) ?? []))
            case .rfc822Text:
                guard let content else { return .failure(.no("Message content unavailable", .serverBug)) }
                if let parse = content.parse {
                    items.append(.rfc822Text(Array(parse.body.slice(of: content.bytes))))
                } else {
                    items.append(.rfc822Text(text(of: content.bytes)))
                }
            case .section(let spec, let partial, _):
                guard let content else { return .failure(.no("Message content unavailable", .serverBug)) }
                let data = section(spec, content).map { apply(partial, $0) }
                items.append(.section(spec, offset: partial?.offset, data: data ?? []))
            case .binary(let part, let partial, _):
                guard let content, let parse = content.parse else { return .failure(.no("Message content unavailable", .serverBug)) }
                switch decoded(part, parse, content.bytes) {
                case .success(let data): items.append(.binary(part: part, offset: partial?.offset, data: apply(partial, data)))
                case .failure(let problem): return .failure(problem)
                }
            case .binarySize(let part):
                guard let content, let parse = content.parse else { return .failure(.no("Message content unavailable", .serverBug)) }
                switch decoded(part, parse, content.bytes) {
                case .success(let data): items.append(.binarySize(part: part, data.count))
                case .failure(let problem): return .failure(problem)
                }
            case .emailID:
                // RFC 8474 §5.1: every message has one; a message listed meanwhile is gone.
                guard let objects else { return .failure(.no("Message content unavailable", .serverBug)) }
                items.append(.emailID(objects.emailID))
            case .threadID:
                items.append(.threadID(objects?.threadID))  // RFC 8474 §5.2: NIL when not threaded
            case .saveDate:
                items.append(.saveDate(objects?.saveDate))  // RFC 8514 §4.1
            case .preview:
                // Computed here from the message, not stored: it is a pure function of bytes the
                // store keeps (no migration or backfill, and a better algorithm applies to old
                // mail at once), and reading the message is what BODY[] costs anyway. LAZY
                // (RFC 8970 §3.2) lets a server answer NIL when a preview is not at hand; one is
                // always at hand here, so LAZY is answered like PREVIEW.
                guard let content, let parse = content.parse else { return .failure(.no("Message content unavailable", .serverBug)) }
                items.append(.preview(MessagePreview.text(raw: content.bytes, parse: parse)))
            }
        }
        return .success(items)
    }

    /// The header section of the bytes read (all of them when only the header was read).
    static func header(_ content: MessageContent) -> [UInt8] {
        if content.headerOnly { return content.bytes }
        if let parse = content.parse { return Array(parse.header.slice(of: content.bytes)) }
        return Array(content.bytes[..<headerEnd(content.bytes)])
    }

    static func text(of bytes: [UInt8]) -> [UInt8] { Array(bytes[headerEnd(bytes)...]) }

    /// Where the header section ends: after the first empty line.
    static func headerEnd(_ bytes: [UInt8]) -> Int {
        var index = 0
        while index + 1 < bytes.count {
            if bytes[index] == 0x0A && bytes[index + 1] == 0x0A { return index + 2 }
            if index + 3 < bytes.count, bytes[index] == 0x0D, bytes[index + 1] == 0x0A, bytes[index + 2] == 0x0D, bytes[index + 3] == 0x0A {
                return index + 4
            }
            index += 1
        }
        return bytes.count
    }

    /// BODY[section]: nil when the message has no such part.
    static func section(_ spec: SectionSpec, _ content: MessageContent) -> [UInt8]? {
        if spec.part.isEmpty, content.headerOnly || content.parse == nil {
            let header = header(content)
            switch spec.text {
            case .header: return header
            case .headerFields(let names): return SectionLocator.filterHeader(header, names: names, exclude: false)
            case .headerFieldsNot(let names): return SectionLocator.filterHeader(header, names: names, exclude: true)
            case .text: return text(of: content.bytes)
            case nil, .mime: return content.bytes
            }
        }
        guard let parse = content.parse, let located = SectionLocator.locate(spec, in: parse) else {
            return spec.part.isEmpty && spec.text == nil ? content.bytes : nil
        }
        switch located {
        case .range(let range): return Array(range.slice(of: content.bytes))
        case .headerFields(let range, let names, let exclude):
            return SectionLocator.filterHeader(range.slice(of: content.bytes), names: names, exclude: exclude)
        case .empty: return []
        }
    }

    /// `<offset.length>` applied to section data. RFC 9051 §6.4.5
    static func apply(_ partial: FetchAttribute.Partial?, _ data: [UInt8]) -> [UInt8] {
        partial.map { SectionLocator.partial(data, $0) } ?? data
    }

    /// BINARY[part]: the section with its transfer encoding removed (RFC 3516 §4.1–4.2, RFC
    /// 9051 §6.4.5); `BINARY[]` is the whole message, a multipart section comes as it is.
    static func decoded(_ part: [Int], _ parse: ParsedMessage, _ bytes: [UInt8]) -> Result<[UInt8], Completion> {
        do {
            guard let data = try SectionLocator.binaryContent(part, in: parse, bytes: bytes) else {
                return .failure(.no("No such part", .nonexistent))
            }
            return .success(data)
        } catch {
            // RFC 3516 §4.3: an encoding the server cannot remove.
            return .failure(.no("Unknown Content-Transfer-Encoding", .unknownCTE))
        }
    }
}

/// A FETCH that cannot answer for one message ends the command with this.
extension Completion: Error {}
