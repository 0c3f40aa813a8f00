package dev.meterflow.api.notify;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meterflow.schemas.BillingNotification;
import dev.meterflow.schemas.NotificationType;
import dev.meterflow.schemas.Receipt;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MessagesTest {

    private static final Instant AT = Instant.parse("2026-11-20T10:00:00Z");

    @Test
    void shouldKeyAReceiptByItsReceiptIdAndShowWhatAPrintedReceiptShows() {
        Receipt receipt = Receipt.newBuilder().setReceiptId("receipt:rr-1").setRequestId("rr-1").setAccountId("a1")
                .setAmountCents(3_501).setCurrency("usd").setBrand("visa").setLast4("4242")
                .setGatewayChargeId("ch_1").setChargedAt(AT).setRecipients(List.of("a@acme.test")).build();

        Message message = Messages.receipt(receipt).orElseThrow();

        assertThat(message.messageId()).isEqualTo("receipt:receipt:rr-1");
        assertThat(message.subject()).isEqualTo("Receipt: $35.01 charged to your visa ending 4242");
        assertThat(message.text()).contains("Date: 2026-11-20 10:00 UTC", "Amount: $35.01 USD", "Charge: ch_1",
                "Account: a1");
        assertThat(message.html()).contains("<th style=\"text-align:left\">Card</th><td>visa ending 4242</td>");
    }

    @Test
    void shouldSayWhyACardWasDeclinedAndTextTheCriticalPhone() {
        BillingNotification notice = notice(NotificationType.PAYMENT_DECLINED,
                Map.of("declineCodes", "expired_card,retry_limit_reached"));

        Message message = Messages.notice(notice).orElseThrow();

        assertThat(message.text()).startsWith("We could not charge <you>. Declined: the card has expired; then the"
                + " card was declined too often recently and was not tried again.");
        assertThat(message.html()).contains("We could not charge &lt;you&gt;.");
        assertThat(Messages.sms(notice)).containsExactly(new Messages.Sms("sms:id-1:+15550100", "+15550100",
                "Meterflow, account a1: We could not charge <you>."));
    }

    @Test
    void shouldLeaveTheRechargeReceiptNoticeToTheReceiptAndNotTextAResume() {
        assertThat(Messages.notice(notice(NotificationType.RECHARGE_RECEIPT, Map.of()))).isEmpty();
        assertThat(Messages.sms(notice(NotificationType.ACCOUNT_RESUMED, Map.of()))).isEmpty();
    }

    private static BillingNotification notice(NotificationType type, Map<String, String> attributes) {
        return BillingNotification.newBuilder().setNotificationId("id-1").setAccountId("a1").setType(type)
                .setEmailRecipients(List.of("a@acme.test")).setSmsRecipients(List.of("+15550100"))
                .setSummary("We could not charge <you>.").setAttributes(attributes).setAt(AT).build();
    }
}
