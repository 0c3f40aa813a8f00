package dev.meterflow.api.settings;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meterflow.schemas.PaymentMethodRef;
import dev.meterflow.schemas.PaymentMethodRole;
import dev.meterflow.schemas.PaymentMethodType;
import java.util.List;
import org.junit.jupiter.api.Test;

class PaymentMethodRolesTest {

    private static final List<PaymentMethodRef> CARDS = List.of(card("pm_a", PaymentMethodRole.PRIMARY),
            card("pm_b", PaymentMethodRole.BACKUP), card("pm_c", PaymentMethodRole.OTHER));

    @Test
    void shouldTakeTheRoleFromTheCardThatHadIt() {
        assertThat(roles(PaymentMethodRoles.assign(CARDS, "pm_c", PaymentMethodRole.PRIMARY)))
                .containsExactly(PaymentMethodRole.OTHER, PaymentMethodRole.BACKUP, PaymentMethodRole.PRIMARY);
    }

    @Test
    void shouldLeaveTheOthersAloneWhenACardGivesUpItsRole() {
        assertThat(roles(PaymentMethodRoles.assign(CARDS, "pm_b", PaymentMethodRole.OTHER)))
                .containsExactly(PaymentMethodRole.PRIMARY, PaymentMethodRole.OTHER, PaymentMethodRole.OTHER);
    }

    private static List<PaymentMethodRole> roles(List<PaymentMethodRef> cards) {
        return cards.stream().map(PaymentMethodRef::getRole).toList();
    }

    private static PaymentMethodRef card(String id, PaymentMethodRole role) {
        return PaymentMethodRef.newBuilder().setPaymentMethodId(id).setCustomerId("cus_1")
                .setType(PaymentMethodType.CARD).setBrand("visa").setLast4("4242").setRole(role).build();
    }
}
