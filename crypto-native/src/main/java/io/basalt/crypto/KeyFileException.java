package io.basalt.crypto;

import java.io.IOException;

/** A key file that cannot be written or must not be trusted. Messages name the file, never key material. */
public final class KeyFileException extends IOException
{
    private static final long serialVersionUID = 1L;

    public KeyFileException(final String message)
    {
        super(message);
    }

    public KeyFileException(final String message, final Throwable cause)
    {
        super(message, cause);
    }
}
