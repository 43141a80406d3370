# Copyright: Contributors to the apinizer.apiops collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Write a private CA (ca.pem) and a server certificate it signs for 127.0.0.1 and localhost
(server.pem, server.key) into DIR, for the emulator's TLS mode."""
import datetime
import ipaddress
import os
import sys

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID


def certificate(subject, issuer, public_key, signing_key, ca, names=()):
    # The extensions a real private CA sets: Python 3.13's ssl verifies strictly
    # (VERIFY_X509_STRICT) and refuses a chain without key identifiers or key usage.
    now = datetime.datetime.now(datetime.timezone.utc)
    builder = (x509.CertificateBuilder()
               .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, subject)]))
               .issuer_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, issuer)]))
               .public_key(public_key)
               .serial_number(x509.random_serial_number())
               .not_valid_before(now - datetime.timedelta(minutes=5))
               .not_valid_after(now + datetime.timedelta(days=2))
               .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True)
               .add_extension(x509.SubjectKeyIdentifier.from_public_key(public_key), critical=False)
               .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(signing_key.public_key()),
                              critical=False)
               .add_extension(x509.KeyUsage(digital_signature=not ca, content_commitment=False, key_encipherment=False,
                                            data_encipherment=False, key_agreement=False, key_cert_sign=ca,
                                            crl_sign=ca, encipher_only=False, decipher_only=False), critical=True))
    if not ca:
        builder = builder.add_extension(x509.ExtendedKeyUsage([x509.oid.ExtendedKeyUsageOID.SERVER_AUTH]),
                                        critical=False)
    if names:
        builder = builder.add_extension(x509.SubjectAlternativeName(list(names)), critical=False)
    return builder.sign(signing_key, hashes.SHA256())


def main(directory):
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca = certificate('apinizer.apiops test CA', 'apinizer.apiops test CA', ca_key.public_key(), ca_key, True)
    key = ec.generate_private_key(ec.SECP256R1())
    server = certificate('127.0.0.1', 'apinizer.apiops test CA', key.public_key(), ca_key, False,
                         [x509.IPAddress(ipaddress.ip_address('127.0.0.1')), x509.DNSName('localhost')])
    pem = serialization.Encoding.PEM
    with open(os.path.join(directory, 'ca.pem'), 'wb') as handle:
        handle.write(ca.public_bytes(pem))
    with open(os.path.join(directory, 'server.pem'), 'wb') as handle:
        handle.write(server.public_bytes(pem))
    with open(os.path.join(directory, 'server.key'), 'wb') as handle:
        handle.write(key.private_bytes(pem, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()))
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1]))
