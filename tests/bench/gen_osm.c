/*
** gen_osm.c: a national-size OpenStreetMap file for the OSM benchmark
** (bench_osm.sh), since no national extract ships with the data.  Writes
** OPL (osmium's line format) to stdout; `osmium cat -F opl -f pbf` turns
** it into .osm.pbf.  Everything comes from one seed: the same seed gives
** the same file.
**
** What it holds, with the default size (W x H = 730 x 911), on Denmark's
** box without Bornholm (8.07-12.69 E, 54.56-57.75 N):
**   - a jittered road lattice about 390 m apart: every lattice link one
**     highway way (1.33 M ways) with 3 shape nodes, classed like a Danish
**     county (every 60th line motorway, every 20th primary, every 10th
**     secondary, every 5th tertiary, else residential, unclassified,
**     service, track, footway, cycleway), with maxspeed on a third,
**     oneway=yes on 5 % of the minor roads, junction=roundabout on some,
**     bridge=yes and layer=1 on 1 %, a name on most;
**   - 40 ferry routes (route=ferry, most with a duration) between lattice
**     nodes 10-40 km apart;
**   - buildings: closed ways of 4 nodes with building=yes/house/garage;
**   - address nodes with addr:street, addr:housenumber, addr:postcode and
**     addr:city.
** About 17 M nodes and 3.8 M ways; the PBF is about 100 MB.
**   usage: gen_osm [SEED [W H [BUILDINGS ADDRESSES]]]
*/
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#define SHAPE 3   /* shape nodes per lattice link */
#define FERRIES 40

static uint64_t seed = 14;
static long W = 730, H = 911, NB = 2485000, NA = 2400000;
static const double LON0 = 8.07, LON1 = 12.69, LAT0 = 54.56, LAT1 = 57.75;

/* A deterministic random number in [0, 1) for (kind, id, k). */
static double rnd(uint64_t kind, uint64_t id, uint64_t k)
{
    uint64_t z = seed * 0x9E3779B97F4A7C15ULL ^ kind << 56 ^ id << 4 ^ k;
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    z ^= z >> 31;
    return (double)(z >> 11) / 9007199254740992.0;
}

/* The lattice ends of ferry f: (i, j) and (i1, j), 25-100 links apart. */
static void ferry_ends(int f, long *i, long *j, long *i1)
{
    *i = 1 + (long)((W - 2) * rnd(7, (uint64_t)f, 0)), *j = 1 + (long)((H - 2) * rnd(7, (uint64_t)f, 1));
    long di = 25 + (long)(75 * rnd(7, (uint64_t)f, 2));
    *i1 = *i + di < W ? *i + di : *i - di;
    if (*i1 < 0)
        *i1 = 0;
}

/* Node ids: lattice nodes, then each link's shape nodes (horizontal links
** first), then ferry shape nodes, building corners, addresses. */
static long lat_id(long i, long j) { return 1 + j * W + i; }
static long nh(void) { return (W - 1) * H; }
static long nv(void) { return W * (H - 1); }
static long shape_id(long link, int k) { return 1 + W * H + link * SHAPE + k; }
static long ferry_base(void) { return 1 + W * H + (nh() + nv()) * SHAPE; }
static long bld_base(void) { return ferry_base() + FERRIES * 4; }
static long addr_base(void) { return bld_base() + NB * 4; }

static double lon_of(long i, long j) { return LON0 + (i + 0.35 * (rnd(1, (uint64_t)lat_id(i, j), 0) - 0.5)) * (LON1 - LON0) / (W - 1); }
static double lat_of(long i, long j) { return LAT0 + (j + 0.35 * (rnd(1, (uint64_t)lat_id(i, j), 1) - 0.5)) * (LAT1 - LAT0) / (H - 1); }

/* The two lattice ends of a link (horizontal links first). */
static void link_ends(long link, long *i0, long *j0, long *i1, long *j1)
{
    if (link < nh()) {
        *j0 = *j1 = link / (W - 1), *i0 = link % (W - 1), *i1 = *i0 + 1;
    } else {
        link -= nh();
        *i0 = *i1 = link % W, *j0 = link / W, *j1 = *j0 + 1;
    }
}

/* Building b lies in town b / 400 (a town about 3 x 2 km), as mappers
** add a town's buildings together; an address lies beside its building. */
static void town(long b, double *x, double *y)
{
    long t = b / 400;
    *x = LON0 + 0.05 + (LON1 - LON0 - 0.1) * rnd(4, (uint64_t)t, 9) + 0.05 * (rnd(4, (uint64_t)b, 0) - 0.5);
    *y = LAT0 + 0.02 + (LAT1 - LAT0 - 0.04) * rnd(4, (uint64_t)t, 8) + 0.02 * (rnd(4, (uint64_t)b, 1) - 0.5);
}
static double addr_x(long a)
{
    double x, y;
    town(a % (NB ? NB : 1), &x, &y);
    return x - 0.0001;
}
static double addr_y(long a)
{
    double x, y;
    town(a % (NB ? NB : 1), &x, &y);
    return y - 0.0001;
}

static void nodes(void)
{
    for (long j = 0; j < H; j++)
        for (long i = 0; i < W; i++)
            printf("n%ld x%.7f y%.7f\n", lat_id(i, j), lon_of(i, j), lat_of(i, j));
    for (long link = 0; link < nh() + nv(); link++) {
        long i0, j0, i1, j1;
        link_ends(link, &i0, &j0, &i1, &j1);
        double ax = lon_of(i0, j0), ay = lat_of(i0, j0), bx = lon_of(i1, j1), by = lat_of(i1, j1);
        for (int k = 0; k < SHAPE; k++) {
            double t = (k + 1.0) / (SHAPE + 1), w = 0.08 * (rnd(2, (uint64_t)link, (uint64_t)k) - 0.5);
            printf("n%ld x%.7f y%.7f\n", shape_id(link, k), ax + t * (bx - ax) - w * (by - ay),
                   ay + t * (by - ay) + w * (bx - ax));
        }
    }
    for (int f = 0; f < FERRIES; f++) { /* an arc out to sea and back */
        long i, j, i1;
        ferry_ends(f, &i, &j, &i1);
        for (int k = 0; k < 4; k++) {
            double t = (k + 1) / 5.0, bow = 0.02 * (1 + rnd(3, (uint64_t)f, 0)) * t * (1 - t) * 4;
            printf("n%ld x%.7f y%.7f\n", ferry_base() + f * 4 + k,
                   lon_of(i, j) + t * (lon_of(i1, j) - lon_of(i, j)), lat_of(i, j) + bow);
        }
    }
    for (long b = 0; b < NB; b++) {
        double x, y;
        town(b, &x, &y);
        double dx = 0.00015 + 0.0002 * rnd(4, (uint64_t)b, 2), dy = 0.00009 + 0.0001 * rnd(4, (uint64_t)b, 3);
        printf("n%ld x%.7f y%.7f\nn%ld x%.7f y%.7f\nn%ld x%.7f y%.7f\nn%ld x%.7f y%.7f\n",
               bld_base() + 4 * b, x, y, bld_base() + 4 * b + 1, x + dx, y,
               bld_base() + 4 * b + 2, x + dx, y + dy, bld_base() + 4 * b + 3, x, y + dy);
    }
    for (long a = 0; a < NA; a++)
        printf("n%ld Taddr:street=Vej%ld,addr:housenumber=%d,addr:postcode=%d,addr:city=By%ld"
               " x%.7f y%.7f\n", addr_base() + a, a % 5000, 1 + (int)(a % 97), 1000 + (int)(a % 8990),
               a % 700, addr_x(a), addr_y(a));
}

/* The class of the lattice line a link lies on, and the tags of its way. */
static void road_tags(long link, long line)
{
    static const char *minor[] = {"residential", "residential", "residential", "unclassified",
                                  "service",     "track",       "footway",     "cycleway"};
    static const char *ms[] = {"130", "80", "80", "60", "50", "30", "50", "80"};
    int c = line % 60 == 0 ? 0 : line % 20 == 0 ? 1 : line % 10 == 0 ? 2 : line % 5 == 0 ? 3 : 4;
    static const char *major[] = {"motorway", "primary", "secondary", "tertiary"};
    const char *cls = c < 4 ? major[c] : minor[(int)(8 * rnd(6, (uint64_t)link, 0))];
    double u = rnd(6, (uint64_t)link, 1);
    printf(" Thighway=%s", cls);
    if (rnd(6, (uint64_t)link, 2) < 0.33)
        printf(",maxspeed=%s", ms[c < 4 ? c : 4 + (int)(4 * u)]);
    if (c >= 3 && u < 0.05)
        printf(",oneway=yes");
    if (c >= 3 && u > 0.995)
        printf(",junction=roundabout");
    if (rnd(6, (uint64_t)link, 3) < 0.01)
        printf(",bridge=yes,layer=1");
    if (rnd(6, (uint64_t)link, 4) < 0.8)
        printf(",name=Vej%ld", line % 5000);
}

static void ways(void)
{
    long id = 1;
    for (long link = 0; link < nh() + nv(); link++, id++) {
        long i0, j0, i1, j1;
        link_ends(link, &i0, &j0, &i1, &j1);
        printf("w%ld", id);
        road_tags(link, link < nh() ? j0 : i0);
        printf(" Nn%ld", lat_id(i0, j0));
        for (int k = 0; k < SHAPE; k++)
            printf(",n%ld", shape_id(link, k));
        printf(",n%ld\n", lat_id(i1, j1));
    }
    for (int f = 0; f < FERRIES; f++, id++) {
        long i, j, i1;
        ferry_ends(f, &i, &j, &i1);
        printf("w%ld Troute=ferry,motor_vehicle=yes,name=Faerge%d", id, f);
        if (f % 4)
            printf(",duration=00:%02d", 15 + f);
        printf(" Nn%ld", lat_id(i, j));
        for (int k = 0; k < 4; k++)
            printf(",n%ld", ferry_base() + f * 4 + k);
        printf(",n%ld\n", lat_id(i1, j));
    }
    static const char *kind[] = {"yes", "yes", "house", "house", "garage"};
    for (long b = 0; b < NB; b++, id++) {
        long n0 = bld_base() + 4 * b;
        printf("w%ld Tbuilding=%s Nn%ld,n%ld,n%ld,n%ld,n%ld\n", id, kind[b % 5], n0, n0 + 1,
               n0 + 2, n0 + 3, n0);
    }
}

int main(int argc, char **argv)
{
    if (argc > 1)
        seed = strtoull(argv[1], NULL, 10);
    if (argc > 3)
        W = atol(argv[2]), H = atol(argv[3]);
    if (argc > 5)
        NB = atol(argv[4]), NA = atol(argv[5]);
    if (W < 3 || H < 3 || NB < 0 || NA < 0) {
        fprintf(stderr, "usage: gen_osm [SEED [W H [BUILDINGS ADDRESSES]]]\n");
        return 2;
    }
    static char buf[1 << 20];
    setvbuf(stdout, buf, _IOFBF, sizeof buf);
    nodes();
    ways();
    fprintf(stderr, "gen_osm: %ld nodes, %ld highway ways, %d ferries, %ld buildings, %ld addresses\n",
            addr_base() + NA - 1, nh() + nv(), FERRIES, NB, NA);
    return fflush(stdout) ? 1 : 0;
}
