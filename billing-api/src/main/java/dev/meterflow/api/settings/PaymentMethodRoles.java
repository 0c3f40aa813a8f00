package dev.meterflow.api.settings;

import dev.meterflow.schemas.PaymentMethodRef;
import dev.meterflow.schemas.PaymentMethodRole;
import java.util.ArrayList;
import java.util.List;

/** Who is primary and who is backup: an account has at most one of each, so giving a role takes it from another. */
final class PaymentMethodRoles {

    private PaymentMethodRoles() {
    }

    /** {@code methods} with {@code paymentMethodId} in {@code role}; OTHER (no role) takes nothing from the others. */
    static List<PaymentMethodRef> assign(List<PaymentMethodRef> methods, String paymentMethodId,
                                         PaymentMethodRole role) {
        List<PaymentMethodRef> assigned = new ArrayList<>();
        for (PaymentMethodRef method : methods) {
            if (method.getPaymentMethodId().equals(paymentMethodId)) {
                assigned.add(PaymentMethodRef.newBuilder(method).setRole(role).build());
            } else if (role != PaymentMethodRole.OTHER && method.getRole() == role) {
                assigned.add(PaymentMethodRef.newBuilder(method).setRole(PaymentMethodRole.OTHER).build());
            } else {
                assigned.add(method);
            }
        }
        return assigned;
    }
}
