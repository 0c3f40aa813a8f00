package dev.meterflow.api.notify;

import org.simplejavamail.api.email.Email;
import org.simplejavamail.api.email.EmailPopulatingBuilder;
import org.simplejavamail.api.mailer.Mailer;
import org.simplejavamail.api.mailer.config.TransportStrategy;
import org.simplejavamail.email.EmailBuilder;
import org.simplejavamail.mailer.MailerBuilder;

/** Sends email over SMTP with Simple Java Mail, HTML with a plain-text alternative, synchronously. */
public final class SmtpMailSender implements MailSender, AutoCloseable {

    private final Mailer mailer;
    private final String from;

    /**
     * @param transport {@code SMTP} (plain, for GreenMail and a local relay), {@code SMTP_TLS} (STARTTLS) or
     *                  {@code SMTPS}
     * @param user      null when the server takes mail without signing in
     */
    public SmtpMailSender(String host, int port, TransportStrategy transport, String user, String password,
                          String from) {
        var builder = MailerBuilder.withSMTPServer(host, port, user, password).withTransportStrategy(transport)
                .withSessionTimeout(30_000);
        this.mailer = builder.buildMailer();
        this.from = from;
    }

    @Override
    public void send(Message message) {
        EmailPopulatingBuilder email = EmailBuilder.startingBlank().from(from).toMultiple(message.to())
                .withSubject(message.subject()).withPlainText(message.text()).withHTMLText(message.html())
                .withHeader("X-Meterflow-Message-Id", message.messageId());
        if (message.attachment() != null) {
            email.withAttachment(message.attachment().name(), message.attachment().content(),
                    message.attachment().contentType());
        }
        Email built = email.buildEmail();
        mailer.sendMail(built).join();
    }

    @Override
    public void close() throws Exception {
        mailer.shutdownConnectionPool().get(10, java.util.concurrent.TimeUnit.SECONDS);
    }
}
