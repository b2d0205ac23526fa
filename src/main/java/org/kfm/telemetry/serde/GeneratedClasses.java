package org.kfm.telemetry.serde;

import org.apache.avro.specific.AvroGenerated;
import org.apache.avro.util.ClassSecurityValidator;

/**
 * Lets Avro load, by the name a schema gives, the classes the Avro compiler generated (annotated
 * {@link AvroGenerated}) and nothing more. Since Avro 1.12.2 every class Avro resolves by name must
 * be trusted ({@code org.apache.avro.SERIALIZABLE_PACKAGES} or {@link ClassSecurityValidator}),
 * which would otherwise make the specific reader fail for every generated class. The grant is added
 * once to Avro's JVM-wide validator, on top of whatever it already trusts; classes that are not
 * generated Avro data classes stay forbidden.
 */
public final class GeneratedClasses {

  private static boolean trusted;

  private GeneratedClasses() {}

  /** Adds the grant, once per JVM. */
  public static synchronized void trust() {
    if (!trusted) {
      ClassSecurityValidator.setGlobal(
          ClassSecurityValidator.composite(
              ClassSecurityValidator.getGlobal(),
              type -> type.isAnnotationPresent(AvroGenerated.class)));
      trusted = true;
    }
  }
}
