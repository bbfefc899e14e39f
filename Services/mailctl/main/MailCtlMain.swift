import MailCtl

/// mailctl's entry point; the commands live in the MailCtl library.
@main
struct MailCtlMain {
    static func main() async {
        await MailCtl.main()
    }
}
