package dev.peak.dns.endpoint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class AddressPrefixTest {

    @ParameterizedTest(name = "{0} contains {1}: {2}")
    @CsvSource({
            "fd00:70ea::/48, fd00:70ea::a:1, true",
            "fd00:70ea::/48, fd00:70ea:0:ffff::1, true",
            "fd00:70ea::/48, fd00:70ea:1::1, false",
            "fd00:70ea::/48, fd00:70eb::1, false",
            "fd00:70ea::/47, fd00:70ea:1::1, true",
            "2001:db8::1/128, 2001:db8::1, true",
            "2001:db8::1/128, 2001:db8::2, false",
            "::/0, 2001:db8::1, true",
            "10.1.0.0/16, 10.1.255.255, true",
            "10.1.0.0/16, 10.2.0.0, false",
            "0.0.0.0/0, 192.0.2.1, true",
            // the families never mix: an IPv4 prefix says nothing of IPv6 addresses, and the reverse
            "::/0, 192.0.2.1, false",
            "0.0.0.0/0, 2001:db8::1, false"})
    void prefixContainsExactlyTheAddressesSharingItsLeadingBits(String prefix, String address, boolean contained) {
        assertEquals(contained, AddressPrefix.parse(prefix).contains(IpLiterals.parse(address)));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"fd00:70ea::", "fd00:70ea::/129", "10.0.0.0/33", "10.0.0.0/-1", "10.0.0.0/x",
            "example.com/24", "fd00:70ea::1/48", "10.0.0.1/8", "/8"})
    void malformedPrefixIsRefusedWithTheReason(String text) {
        var e = assertThrows(IllegalArgumentException.class, () -> AddressPrefix.parse(text));
        assertTrue(e.getMessage().contains("'" + text), e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"fd00:70ea::/48", "10.1.0.0/16", "::/0"})
    void prefixPrintsAsParsed(String text) {
        assertEquals(text, AddressPrefix.parse(text).toString());
    }
}
