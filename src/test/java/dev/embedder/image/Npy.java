package dev.embedder.image;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Minimal reader for the .npy files our goldens use: little-endian float32, C order, format 1.0 to 3.0. */
public record Npy(int[] shape, float[] data) {
    private static final Pattern DESCR = Pattern.compile("'descr':\\s*'([^']*)'");
    private static final Pattern ORDER = Pattern.compile("'fortran_order':\\s*(True|False)");
    private static final Pattern SHAPE = Pattern.compile("'shape':\\s*\\(([^)]*)\\)");

    public static Npy read(Path file) throws IOException {
        ByteBuffer buf = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
        byte[] magic = new byte[6];
        buf.get(magic);
        if (magic[0] != (byte) 0x93 || !new String(magic, 1, 5, StandardCharsets.US_ASCII).equals("NUMPY")) {
            throw new IOException(file + " is not a .npy file");
        }
        int major = buf.get();
        buf.get();
        int headerLen = major == 1 ? buf.getShort() & 0xFFFF : buf.getInt();
        byte[] header = new byte[headerLen];
        buf.get(header);
        String h = new String(header, StandardCharsets.ISO_8859_1);
        String descr = find(DESCR, h, file);
        if (!descr.equals("<f4")) {
            throw new IOException(file + ": only <f4 is supported, got " + descr);
        }
        if (find(ORDER, h, file).equals("True")) {
            throw new IOException(file + ": Fortran order is not supported");
        }
        List<Integer> dims = new ArrayList<>();
        for (String part : find(SHAPE, h, file).split(",")) {
            if (!part.isBlank()) {
                dims.add(Integer.parseInt(part.trim()));
            }
        }
        int[] shape = dims.stream().mapToInt(Integer::intValue).toArray();
        long count = 1;
        for (int d : shape) {
            count *= d;
        }
        float[] data = new float[Math.toIntExact(count)];
        buf.asFloatBuffer().get(data);
        return new Npy(shape, data);
    }

    private static String find(Pattern p, String header, Path file) throws IOException {
        Matcher m = p.matcher(header);
        if (!m.find()) {
            throw new IOException(file + ": header lacks " + p.pattern());
        }
        return m.group(1);
    }
}
