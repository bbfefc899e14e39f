/// Account setup for other mail clients: the documents they fetch so that a user types only
/// an address and a password. Values are escaped like any page's (`&`, `<`, `>`, `"`, `'`
/// are the entities XML knows too).
enum ClientSetupTemplates {
    /// Thunderbird's autoconfig (the "clientConfig" format, version 1.1).
    static let thunderbird = (
        name: "autoconfig",
        text: """
        {{% CONTENT_TYPE: BUZON_HTML}}
        <?xml version="1.0" encoding="UTF-8"?>
        <clientConfig version="1.1">
          <emailProvider id="{{domain}}">
            <domain>{{domain}}</domain>
            <displayName>{{domain}}</displayName>
            <displayShortName>{{domain}}</displayShortName>
            <incomingServer type="imap">
              <hostname>{{hostname}}</hostname>
              <port>{{imapsPort}}</port>
              <socketType>SSL</socketType>
              <username>%EMAILADDRESS%</username>
              <authentication>password-cleartext</authentication>
            </incomingServer>
            <incomingServer type="pop3">
              <hostname>{{hostname}}</hostname>
              <port>{{pop3sPort}}</port>
              <socketType>SSL</socketType>
              <username>%EMAILADDRESS%</username>
              <authentication>password-cleartext</authentication>
            </incomingServer>
            <outgoingServer type="smtp">
              <hostname>{{hostname}}</hostname>
              <port>{{submissionsPort}}</port>
              <socketType>SSL</socketType>
              <username>%EMAILADDRESS%</username>
              <authentication>password-cleartext</authentication>
            </outgoingServer>
            <outgoingServer type="smtp">
              <hostname>{{hostname}}</hostname>
              <port>{{submissionPort}}</port>
              <socketType>STARTTLS</socketType>
              <username>%EMAILADDRESS%</username>
              <authentication>password-cleartext</authentication>
            </outgoingServer>
          </emailProvider>
        </clientConfig>
        """
    )

    /// Outlook's autodiscover answer (the 2006a "outlook" response schema).
    static let outlook = (
        name: "autodiscover",
        text: """
        {{% CONTENT_TYPE: BUZON_HTML}}
        <?xml version="1.0" encoding="utf-8"?>
        <Autodiscover xmlns="http://schemas.microsoft.com/exchange/autodiscover/responseschema/2006">
          <Response xmlns="http://schemas.microsoft.com/exchange/autodiscover/outlook/responseschema/2006a">
            <Account>
              <AccountType>email</AccountType>
              <Action>settings</Action>
              <Protocol>
                <Type>IMAP</Type>
                <Server>{{hostname}}</Server>
                <Port>{{imapsPort}}</Port>
                <LoginName>{{address}}</LoginName>
                <SPA>off</SPA>
                <SSL>on</SSL>
                <AuthRequired>on</AuthRequired>
              </Protocol>
              <Protocol>
                <Type>SMTP</Type>
                <Server>{{hostname}}</Server>
                <Port>{{submissionsPort}}</Port>
                <LoginName>{{address}}</LoginName>
                <SPA>off</SPA>
                <Encryption>SSL</Encryption>
                <AuthRequired>on</AuthRequired>
                <UsePOPAuth>off</UsePOPAuth>
              </Protocol>
            </Account>
          </Response>
        </Autodiscover>
        """
    )

    /// An Apple configuration profile with one mail account (no password: the device asks).
    static let apple = (
        name: "mobileconfig",
        text: """
        {{% CONTENT_TYPE: BUZON_HTML}}
        <?xml version="1.0" encoding="UTF-8"?>
        <!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">
        <plist version="1.0">
        <dict>
          <key>PayloadContent</key>
          <array>
            <dict>
              <key>EmailAccountDescription</key><string>{{address}}</string>
              <key>EmailAccountType</key><string>EmailTypeIMAP</string>
              <key>EmailAddress</key><string>{{address}}</string>
              <key>IncomingMailServerAuthentication</key><string>EmailAuthPassword</string>
              <key>IncomingMailServerHostName</key><string>{{hostname}}</string>
              <key>IncomingMailServerPortNumber</key><integer>{{imapsPort}}</integer>
              <key>IncomingMailServerUseSSL</key><true/>
              <key>IncomingMailServerUsername</key><string>{{address}}</string>
              <key>OutgoingMailServerAuthentication</key><string>EmailAuthPassword</string>
              <key>OutgoingMailServerHostName</key><string>{{hostname}}</string>
              <key>OutgoingMailServerPortNumber</key><integer>{{submissionsPort}}</integer>
              <key>OutgoingMailServerUseSSL</key><true/>
              <key>OutgoingMailServerUsername</key><string>{{address}}</string>
              <key>OutgoingPasswordSameAsIncomingPassword</key><true/>
              <key>PayloadDisplayName</key><string>{{address}}</string>
              <key>PayloadIdentifier</key><string>{{identifier}}.account</string>
              <key>PayloadType</key><string>com.apple.mail.managed</string>
              <key>PayloadUUID</key><string>{{accountUUID}}</string>
              <key>PayloadVersion</key><integer>1</integer>
            </dict>
          </array>
          <key>PayloadDisplayName</key><string>Mail: {{address}}</string>
          <key>PayloadIdentifier</key><string>{{identifier}}</string>
          <key>PayloadType</key><string>Configuration</string>
          <key>PayloadUUID</key><string>{{profileUUID}}</string>
          <key>PayloadVersion</key><integer>1</integer>
        </dict>
        </plist>
        """
    )
}

/// What the setup documents name: our host, its client ports, the user's address.
struct ClientSetupView {
    var hostname: String
    var imapsPort: Int
    var pop3sPort: Int
    var submissionsPort: Int
    var submissionPort: Int
    var domain: String
    var address: String
    var identifier: String
    var accountUUID: String
    var profileUUID: String
}
