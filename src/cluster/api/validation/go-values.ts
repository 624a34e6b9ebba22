/**
 * Bad values printed the way Go's `%#v` prints them where field.Error shows a typed slice, e.g.
 * `spec.clusterIPs[0]: Invalid value: []string{"10.96.0.5"}: may not change once set`.
 */
import { FieldError } from '../field-errors';

class StringSliceInvalid extends FieldError {
  constructor(field: string, private readonly values: string[], detail: string) {
    super('FieldValueInvalid', field, values, detail);
  }

  override body(): string {
    const shown = `[]string{${this.values.map((v) => JSON.stringify(v)).join(', ')}}`;
    return this.detail ? `Invalid value: ${shown}: ${this.detail}` : `Invalid value: ${shown}`;
  }
}

export const invalidStringSlice = (field: string, values: string[], detail: string): FieldError => new StringSliceInvalid(field, values, detail);
