package dev.meterflow.metering;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Properties;
import org.apache.kafka.streams.CloseOptions.GroupMembershipOperation;
import org.junit.jupiter.api.Test;

/** Issue 14: a rolling restart of static members moves no task; dynamic members still hand theirs over at once. */
class GroupMembershipTest {

    @Test
    void shouldStayInTheGroupOnCloseWhenTheInstanceHasAStaticName() {
        assertThat(GroupMembership.onClose(props("group.instance.id", "metering-0")))
                .isEqualTo(GroupMembershipOperation.REMAIN_IN_GROUP);
        assertThat(GroupMembership.onClose(props("main.consumer.group.instance.id", "metering-0")))
                .isEqualTo(GroupMembershipOperation.REMAIN_IN_GROUP);
        assertThat(GroupMembership.onClose(props("consumer.group.instance.id", "metering-0")))
                .isEqualTo(GroupMembershipOperation.REMAIN_IN_GROUP);
    }

    @Test
    void shouldLeaveTheGroupOnCloseWhenTheInstanceIsADynamicMember() {
        assertThat(GroupMembership.onClose(new Properties())).isEqualTo(GroupMembershipOperation.LEAVE_GROUP);
        assertThat(GroupMembership.onClose(props("group.instance.id", " "))).isEqualTo(
                GroupMembershipOperation.LEAVE_GROUP);
    }

    private static Properties props(String key, String value) {
        Properties props = new Properties();
        props.setProperty(key, value);
        return props;
    }
}
