/* Thumbnailer: decodes an image by running an external converter that prints
 * it as a binary PGM (P5) on stdout, then box-filters it down to a 32x32
 * thumbnail.
 * BUG: make_thumbnail() calls converter_finish() (which reaps the converter
 * through wait_converter()) before read_pgm() reads the converter's output
 * pipe. The developer wanted to skip parsing the output of a converter that
 * failed; but a decoded photo is far larger than the pipe buffer, so the
 * converter blocks writing it while the thumbnailer blocks in waitpid(): a
 * 640x480 image hangs, a 64x64 icon (4 KiB) goes through.
 */
// EXPECT: pipe-wait-before-drain make_thumbnail|converter_finish|wait_converter photo hang
// CROSSES: the converter is started two calls deep (converter_open -> spawn_decoder) and returned by value in a struct; the waitpid() is in wait_converter() under converter_finish(), and the read of the same struct's descriptor is in read_pgm()
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#define THUMB 32

struct converter {
    pid_t pid;
    int out_fd;
};

struct image {
    int w, h;
    unsigned char *px;
};

static pid_t spawn_decoder(const char *cmd, int *out_fd)
{
    int fds[2];
    if (pipe(fds) < 0)
        return -1;
    fflush(stdout);
    pid_t pid = fork();
    if (pid < 0) {
        close(fds[0]);
        close(fds[1]);
        return -1;
    }
    if (pid == 0) {
        close(fds[0]);
        dup2(fds[1], STDOUT_FILENO);
        close(fds[1]);
        execl("/bin/sh", "sh", "-c", cmd, (char *)NULL);
        _exit(127);
    }
    close(fds[1]);
    *out_fd = fds[0];
    return pid;
}

static struct converter converter_open(const char *path, int w, int h)
{
    /* stand-in for `convert PATH pgm:-`: a grey test pattern of the right size */
    char cmd[512];
    snprintf(cmd, sizeof cmd,
             "test -n '%s' && printf 'P5\\n%d %d\\n255\\n' && head -c %d /dev/urandom",
             path, w, h, w * h);
    struct converter c = {-1, -1};
    c.pid = spawn_decoder(cmd, &c.out_fd);
    return c;
}

static int wait_converter(pid_t pid)
{
    int status;
    while (waitpid(pid, &status, 0) < 0)
        if (errno != EINTR)
            return -1;
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

static int converter_finish(struct converter *c)
{
    int code = wait_converter(c->pid);
    c->pid = -1;
    if (code != 0)
        fprintf(stderr, "converter failed (%d)\n", code);
    return code;
}

static int read_pgm(int fd, struct image *img)
{
    FILE *in = fdopen(fd, "rb");
    int maxval;
    if (!in)
        return -1;
    if (fscanf(in, "P5 %d %d %d", &img->w, &img->h, &maxval) != 3 || fgetc(in) == EOF ||
        img->w <= 0 || img->h <= 0 || maxval != 255) {
        fclose(in);
        return -1;
    }
    size_t n = (size_t)img->w * (size_t)img->h;
    img->px = malloc(n);
    size_t got = img->px ? fread(img->px, 1, n, in) : 0;
    fclose(in);
    return got == n ? 0 : -1;
}

static void box_filter(const struct image *src, unsigned char out[THUMB][THUMB])
{
    for (int ty = 0; ty < THUMB; ty++)
        for (int tx = 0; tx < THUMB; tx++) {
            int x0 = tx * src->w / THUMB, x1 = (tx + 1) * src->w / THUMB;
            int y0 = ty * src->h / THUMB, y1 = (ty + 1) * src->h / THUMB;
            unsigned long sum = 0, cnt = 0;
            for (int y = y0; y < y1 || y == y0; y++)
                for (int x = x0; x < x1 || x == x0; x++, cnt++)
                    sum += src->px[(size_t)y * (size_t)src->w + (size_t)x];
            out[ty][tx] = (unsigned char)(sum / cnt);
        }
}

static int make_thumbnail(const char *path, int w, int h, unsigned char out[THUMB][THUMB])
{
    struct image img = {0, 0, NULL};
    struct converter c = converter_open(path, w, h);
    if (c.pid < 0)
        return -1;
    /* no point parsing the output of a converter that failed */
    if (converter_finish(&c) != 0) {
        close(c.out_fd);
        return -1;
    }
    if (read_pgm(c.out_fd, &img) < 0) {
        free(img.px);
        return -1;
    }
    box_filter(&img, out);
    free(img.px);
    return 0;
}

int main(int argc, char **argv)
{
    const char *scenario = argc > 1 ? argv[1] : "icon";
    static unsigned char thumb[THUMB][THUMB];
    int rc;

    if (strcmp(scenario, "icon") == 0)
        rc = make_thumbnail("favicon.png", 64, 64, thumb);
    else if (strcmp(scenario, "photo") == 0)
        rc = make_thumbnail("holiday/IMG_0412.jpg", 640, 480, thumb);
    else {
        fprintf(stderr, "usage: %s icon|photo\n", argv[0]);
        return 2;
    }
    if (rc < 0) {
        printf("%s: no thumbnail\n", scenario);
        return 1;
    }
    unsigned long sum = 0;
    for (int y = 0; y < THUMB; y++)
        for (int x = 0; x < THUMB; x++)
            sum += thumb[y][x];
    printf("%s: thumbnail ready, mean grey %lu\n", scenario, sum / (THUMB * THUMB));
    return 0;
}
