/* generated benchmark statement: report union */
SELECT report.kind, report.region, SUM(report.amount) AS total FROM (
  SELECT 'delta-0' AS kind, t0.region, t0.email::numeric AS amount -- part 0
    FROM public.order_items t0
    LEFT JOIN audit.log_44 a0 ON a0.ref_id = t0.id AND a0.note <> 'n/a golf'
   WHERE t0.created_at >= '2024-06-07' AND t0.quantity IN (256125, 119304, 802390, 694882, 190514)
     AND t0.amount BETWEEN 388.09 AND 8e5
     AND (t0.email LIKE '%@juliet.example' OR t0.flags @> ARRAY[8, 41, -60])
  UNION ALL
  SELECT 'hotel-1' AS kind, t1.region, t1.region::numeric AS amount -- part 1
    FROM public.order_items t1
    LEFT JOIN audit.log_36 a1 ON a1.ref_id = t1.id AND a1.note <> 'n/a charlie'
   WHERE t1.created_at >= '2024-01-26' AND t1.id IN (184226, 794148, 815888, 999946, 967112, 857533, 287790, 908457, 884593)
     AND t1.amount BETWEEN 594.14 AND 5e2
     AND (t1.email LIKE '%@bravo.example' OR t1.flags @> ARRAY[5, 45, -43])
  UNION ALL
  SELECT 'hotel-2' AS kind, t2.region, t2.currency::numeric AS amount -- part 2
    FROM public.order_items t2
    LEFT JOIN audit.log_15 a2 ON a2.ref_id = t2.id AND a2.note <> 'n/a foxtrot'
   WHERE t2.created_at >= '2024-02-28' AND t2.email IN (58183, 941220, 142028, 897195)
     AND t2.amount BETWEEN 655.61 AND 7e5
     AND (t2.email LIKE '%@foxtrot.example' OR t2.flags @> ARRAY[43, 32, -44])
  UNION ALL
  SELECT 'india-3' AS kind, t3.region, t3.sku::numeric AS amount -- part 3
    FROM public.customers t3
    LEFT JOIN audit.log_7 a3 ON a3.ref_id = t3.id AND a3.note <> 'n/a golf'
   WHERE t3.created_at >= '2024-01-13' AND t3.email IN (85023, 188326, 633250, 52498, 230735, 133519, 824568, 375561, 556301)
     AND t3.amount BETWEEN 573.74 AND 8e5
     AND (t3.email LIKE '%@india.example' OR t3.flags @> ARRAY[3, 15, -28])
  UNION ALL
  SELECT 'india-4' AS kind, t4.region, t4.id::numeric AS amount -- part 4
    FROM public.invoices t4
    LEFT JOIN audit.log_43 a4 ON a4.ref_id = t4.id AND a4.note <> 'n/a delta'
   WHERE t4.created_at >= '2024-02-13' AND t4.quantity IN (724264, 412291, 598195, 279525, 867974, 144155, 801644)
     AND t4.amount BETWEEN 558.57 AND 4e2
     AND (t4.email LIKE '%@india.example' OR t4.flags @> ARRAY[32, 28, -50])
  UNION ALL
  SELECT 'charlie-5' AS kind, t5.region, t5.updated_at::numeric AS amount -- part 5
    FROM public.products t5
    LEFT JOIN audit.log_11 a5 ON a5.ref_id = t5.id AND a5.note <> 'n/a hotel'
   WHERE t5.created_at >= '2024-03-20' AND t5.updated_at IN (804359, 954370, 815489, 524485, 873687, 924997, 612145, 680290, 908174, 832362, 412008)
     AND t5.amount BETWEEN 164.73 AND 9e4
     AND (t5.email LIKE '%@india.example' OR t5.flags @> ARRAY[15, 29, -38])
  UNION ALL
  SELECT 'juliet-6' AS kind, t6.region, t6.id::numeric AS amount -- part 6
    FROM public.orders t6
    LEFT JOIN audit.log_27 a6 ON a6.ref_id = t6.id AND a6.note <> 'n/a charlie'
   WHERE t6.created_at >= '2024-10-28' AND t6.email IN (471484, 353844, 600529, 566663, 110993, 407900, 15704, 284144, 753171, 993694, 783127, 60016, 184498, 125678)
     AND t6.amount BETWEEN 656.15 AND 5e2
     AND (t6.email LIKE '%@hotel.example' OR t6.flags @> ARRAY[21, 53, -5])
  UNION ALL
  SELECT 'bravo-7' AS kind, t7.region, t7.id::numeric AS amount -- part 7
    FROM public.payments t7
    LEFT JOIN audit.log_38 a7 ON a7.ref_id = t7.id AND a7.note <> 'n/a juliet'
   WHERE t7.created_at >= '2024-02-24' AND t7.quantity IN (490008, 821569, 324558, 488220, 304525, 154440, 656608, 19324, 375552, 486922)
     AND t7.amount BETWEEN 49.37 AND 3e5
     AND (t7.email LIKE '%@charlie.example' OR t7.flags @> ARRAY[49, 24, -31])
  UNION ALL
  SELECT 'india-8' AS kind, t8.region, t8.currency::numeric AS amount -- part 8
    FROM public.orders t8
    LEFT JOIN audit.log_11 a8 ON a8.ref_id = t8.id AND a8.note <> 'n/a india'
   WHERE t8.created_at >= '2024-07-07' AND t8.status IN (769531, 891849, 630107)
     AND t8.amount BETWEEN 909.07 AND 6e2
     AND (t8.email LIKE '%@golf.example' OR t8.flags @> ARRAY[56, 45, -4])
  UNION ALL
  SELECT 'foxtrot-9' AS kind, t9.region, t9.id::numeric AS amount -- part 9
    FROM public.products t9
    LEFT JOIN audit.log_46 a9 ON a9.ref_id = t9.id AND a9.note <> 'n/a alpha'
   WHERE t9.created_at >= '2024-11-20' AND t9.region IN (309247, 527401, 912070, 895926)
     AND t9.amount BETWEEN 3.32 AND 1e2
     AND (t9.email LIKE '%@echo.example' OR t9.flags @> ARRAY[32, 32, -39])
  UNION ALL
  SELECT 'delta-10' AS kind, t10.region, t10.region::numeric AS amount -- part 10
    FROM public.products t10
    LEFT JOIN audit.log_29 a10 ON a10.ref_id = t10.id AND a10.note <> 'n/a hotel'
   WHERE t10.created_at >= '2024-04-06' AND t10.sku IN (931941, 253966, 827598, 963880, 736210, 904083, 323131, 994200, 232535)
     AND t10.amount BETWEEN 257.91 AND 3e4
     AND (t10.email LIKE '%@echo.example' OR t10.flags @> ARRAY[45, 20, -38])
  UNION ALL
  SELECT 'bravo-11' AS kind, t11.region, t11.amount::numeric AS amount -- part 11
    FROM public.order_items t11
    LEFT JOIN audit.log_14 a11 ON a11.ref_id = t11.id AND a11.note <> 'n/a delta'
   WHERE t11.created_at >= '2024-06-14' AND t11.updated_at IN (809053, 446201, 979496)
     AND t11.amount BETWEEN 857.48 AND 9e1
     AND (t11.email LIKE '%@foxtrot.example' OR t11.flags @> ARRAY[30, 41, -32])
  UNION ALL
  SELECT 'delta-12' AS kind, t12.region, t12.email::numeric AS amount -- part 12
    FROM public.customers t12
    LEFT JOIN audit.log_35 a12 ON a12.ref_id = t12.id AND a12.note <> 'n/a india'
   WHERE t12.created_at >= '2024-06-21' AND t12.quantity IN (583533, 536909, 989037, 246148, 608021, 925924, 63628, 750935, 804932, 855775, 244401)
     AND t12.amount BETWEEN 76.66 AND 6e1
     AND (t12.email LIKE '%@echo.example' OR t12.flags @> ARRAY[10, 5, -16])
  UNION ALL
  SELECT 'juliet-13' AS kind, t13.region, t13.currency::numeric AS amount -- part 13
    FROM public.payments t13
    LEFT JOIN audit.log_47 a13 ON a13.ref_id = t13.id AND a13.note <> 'n/a india'
   WHERE t13.created_at >= '2024-12-11' AND t13.status IN (398179, 813748, 442518, 452669, 146041, 186757)
     AND t13.amount BETWEEN 765.16 AND 2e3
     AND (t13.email LIKE '%@golf.example' OR t13.flags @> ARRAY[3, 24, -28])
  UNION ALL
  SELECT 'echo-14' AS kind, t14.region, t14.updated_at::numeric AS amount -- part 14
    FROM public.order_items t14
    LEFT JOIN audit.log_24 a14 ON a14.ref_id = t14.id AND a14.note <> 'n/a charlie'
   WHERE t14.created_at >= '2024-11-15' AND t14.currency IN (438985, 567820, 958488, 312475, 777445, 76748, 830988, 636483, 750796)
     AND t14.amount BETWEEN 399.18 AND 9e2
     AND (t14.email LIKE '%@juliet.example' OR t14.flags @> ARRAY[33, 49, -42])
  UNION ALL
  SELECT 'hotel-15' AS kind, t15.region, t15.currency::numeric AS amount -- part 15
    FROM public.products t15
    LEFT JOIN audit.log_29 a15 ON a15.ref_id = t15.id AND a15.note <> 'n/a india'
   WHERE t15.created_at >= '2024-01-09' AND t15.email IN (134421, 257810, 410948, 124093, 494671)
     AND t15.amount BETWEEN 276.76 AND 5e1
     AND (t15.email LIKE '%@alpha.example' OR t15.flags @> ARRAY[13, 19, -36])
  UNION ALL
  SELECT 'golf-16' AS kind, t16.region, t16.id::numeric AS amount -- part 16
    FROM public.products t16
    LEFT JOIN audit.log_3 a16 ON a16.ref_id = t16.id AND a16.note <> 'n/a juliet'
   WHERE t16.created_at >= '2024-11-06' AND t16.status IN (341511, 263023, 745784, 756287, 158342, 442255, 365146)
     AND t16.amount BETWEEN 507.55 AND 4e5
     AND (t16.email LIKE '%@juliet.example' OR t16.flags @> ARRAY[26, 42, -50])
  UNION ALL
  SELECT 'foxtrot-17' AS kind, t17.region, t17.updated_at::numeric AS amount -- part 17
    FROM public.order_items t17
    LEFT JOIN audit.log_17 a17 ON a17.ref_id = t17.id AND a17.note <> 'n/a hotel'
   WHERE t17.created_at >= '2024-09-08' AND t17.updated_at IN (698236, 855756, 852814, 15324, 34981, 649171, 553854, 170045, 18173)
     AND t17.amount BETWEEN 813.82 AND 4e4
     AND (t17.email LIKE '%@alpha.example' OR t17.flags @> ARRAY[34, 28, -61])
  UNION ALL
  SELECT 'bravo-18' AS kind, t18.region, t18.status::numeric AS amount -- part 18
    FROM public.refunds t18
    LEFT JOIN audit.log_38 a18 ON a18.ref_id = t18.id AND a18.note <> 'n/a india'
   WHERE t18.created_at >= '2024-07-12' AND t18.region IN (234660, 924843, 51568, 501674, 124447, 705782, 727720, 527547, 460206, 26443, 356090, 321507)
     AND t18.amount BETWEEN 700.63 AND 6e4
     AND (t18.email LIKE '%@foxtrot.example' OR t18.flags @> ARRAY[20, 54, -29])
  UNION ALL
  SELECT 'charlie-19' AS kind, t19.region, t19.id::numeric AS amount -- part 19
    FROM public.invoices t19
    LEFT JOIN audit.log_39 a19 ON a19.ref_id = t19.id AND a19.note <> 'n/a delta'
   WHERE t19.created_at >= '2024-10-25' AND t19.status IN (238782, 559662, 929943, 952908, 528159, 153114, 575430, 444158, 503509, 248396, 528039, 128687, 358121, 631622)
     AND t19.amount BETWEEN 751.42 AND 3e2
     AND (t19.email LIKE '%@juliet.example' OR t19.flags @> ARRAY[61, 26, -20])
  UNION ALL
  SELECT 'alpha-20' AS kind, t20.region, t20.sku::numeric AS amount -- part 20
    FROM public.orders t20
    LEFT JOIN audit.log_27 a20 ON a20.ref_id = t20.id AND a20.note <> 'n/a golf'
   WHERE t20.created_at >= '2024-12-14' AND t20.quantity IN (125216, 636268, 410513, 287412, 610585, 370738, 994058, 377230, 429883)
     AND t20.amount BETWEEN 19.12 AND 7e4
     AND (t20.email LIKE '%@foxtrot.example' OR t20.flags @> ARRAY[30, 38, -44])
  UNION ALL
  SELECT 'golf-21' AS kind, t21.region, t21.amount::numeric AS amount -- part 21
    FROM public.orders t21
    LEFT JOIN audit.log_3 a21 ON a21.ref_id = t21.id AND a21.note <> 'n/a hotel'
   WHERE t21.created_at >= '2024-04-15' AND t21.id IN (611671, 728114, 414822, 566814, 124372)
     AND t21.amount BETWEEN 635.47 AND 5e2
     AND (t21.email LIKE '%@juliet.example' OR t21.flags @> ARRAY[7, 53, -3])
  UNION ALL
  SELECT 'delta-22' AS kind, t22.region, t22.sku::numeric AS amount -- part 22
    FROM public.products t22
    LEFT JOIN audit.log_17 a22 ON a22.ref_id = t22.id AND a22.note <> 'n/a golf'
   WHERE t22.created_at >= '2024-08-22' AND t22.quantity IN (882244, 940794, 505418, 666727, 95955, 713214, 485614, 361416, 332007, 283020, 413536, 113986, 244972, 218832)
     AND t22.amount BETWEEN 277.53 AND 4e2
     AND (t22.email LIKE '%@echo.example' OR t22.flags @> ARRAY[52, 36, -45])
  UNION ALL
  SELECT 'bravo-23' AS kind, t23.region, t23.id::numeric AS amount -- part 23
    FROM public.invoices t23
    LEFT JOIN audit.log_40 a23 ON a23.ref_id = t23.id AND a23.note <> 'n/a juliet'
   WHERE t23.created_at >= '2024-03-20' AND t23.amount IN (947498, 370511, 368308)
     AND t23.amount BETWEEN 218.27 AND 1e2
     AND (t23.email LIKE '%@foxtrot.example' OR t23.flags @> ARRAY[24, 15, -41])
  UNION ALL
  SELECT 'bravo-24' AS kind, t24.region, t24.email::numeric AS amount -- part 24
    FROM public.refunds t24
    LEFT JOIN audit.log_29 a24 ON a24.ref_id = t24.id AND a24.note <> 'n/a juliet'
   WHERE t24.created_at >= '2024-05-12' AND t24.quantity IN (45963, 16008, 417905, 534938, 59889)
     AND t24.amount BETWEEN 991.59 AND 9e5
     AND (t24.email LIKE '%@echo.example' OR t24.flags @> ARRAY[48, 7, -7])
  UNION ALL
  SELECT 'hotel-25' AS kind, t25.region, t25.currency::numeric AS amount -- part 25
    FROM public.customers t25
    LEFT JOIN audit.log_36 a25 ON a25.ref_id = t25.id AND a25.note <> 'n/a juliet'
   WHERE t25.created_at >= '2024-10-26' AND t25.updated_at IN (144840, 242925, 79694, 819807, 319845, 478784, 775121, 704401, 635764)
     AND t25.amount BETWEEN 219.42 AND 9e5
     AND (t25.email LIKE '%@charlie.example' OR t25.flags @> ARRAY[5, 24, -20])
  UNION ALL
  SELECT 'india-26' AS kind, t26.region, t26.region::numeric AS amount -- part 26
    FROM public.customers t26
    LEFT JOIN audit.log_18 a26 ON a26.ref_id = t26.id AND a26.note <> 'n/a juliet'
   WHERE t26.created_at >= '2024-06-28' AND t26.region IN (863522, 153265, 252284, 421905, 554447, 997897, 503572)
     AND t26.amount BETWEEN 545.47 AND 7e4
     AND (t26.email LIKE '%@bravo.example' OR t26.flags @> ARRAY[56, 8, -25])
  UNION ALL
  SELECT 'alpha-27' AS kind, t27.region, t27.id::numeric AS amount -- part 27
    FROM public.orders t27
    LEFT JOIN audit.log_7 a27 ON a27.ref_id = t27.id AND a27.note <> 'n/a hotel'
   WHERE t27.created_at >= '2024-04-27' AND t27.region IN (675351, 652250, 568301, 258750, 564072)
     AND t27.amount BETWEEN 418.07 AND 5e4
     AND (t27.email LIKE '%@juliet.example' OR t27.flags @> ARRAY[53, 7, -15])
  UNION ALL
  SELECT 'india-28' AS kind, t28.region, t28.region::numeric AS amount -- part 28
    FROM public.order_items t28
    LEFT JOIN audit.log_42 a28 ON a28.ref_id = t28.id AND a28.note <> 'n/a alpha'
   WHERE t28.created_at >= '2024-06-08' AND t28.currency IN (328684, 688334, 947918, 318770, 738584)
     AND t28.amount BETWEEN 178.56 AND 1e1
     AND (t28.email LIKE '%@echo.example' OR t28.flags @> ARRAY[37, 6, -3])
  UNION ALL
  SELECT 'delta-29' AS kind, t29.region, t29.region::numeric AS amount -- part 29
    FROM public.order_items t29
    LEFT JOIN audit.log_24 a29 ON a29.ref_id = t29.id AND a29.note <> 'n/a bravo'
   WHERE t29.created_at >= '2024-12-02' AND t29.region IN (756338, 7608, 997166, 8757, 870403, 455956, 640940, 24243, 584846)
     AND t29.amount BETWEEN 401.15 AND 8e3
     AND (t29.email LIKE '%@alpha.example' OR t29.flags @> ARRAY[13, 48, -41])
  UNION ALL
  SELECT 'juliet-30' AS kind, t30.region, t30.id::numeric AS amount -- part 30
    FROM public.order_items t30
    LEFT JOIN audit.log_11 a30 ON a30.ref_id = t30.id AND a30.note <> 'n/a delta'
   WHERE t30.created_at >= '2024-07-02' AND t30.sku IN (721739, 40918, 546077, 958419, 398394, 159473, 263216, 123913, 460396)
     AND t30.amount BETWEEN 103.12 AND 7e2
     AND (t30.email LIKE '%@juliet.example' OR t30.flags @> ARRAY[21, 57, -26])
  UNION ALL
  SELECT 'juliet-31' AS kind, t31.region, t31.currency::numeric AS amount -- part 31
    FROM public.order_items t31
    LEFT JOIN audit.log_23 a31 ON a31.ref_id = t31.id AND a31.note <> 'n/a golf'
   WHERE t31.created_at >= '2024-06-17' AND t31.amount IN (962905, 125652, 730204, 123193, 308732, 567471, 279868, 571250, 969030, 738785)
     AND t31.amount BETWEEN 907.61 AND 5e3
     AND (t31.email LIKE '%@india.example' OR t31.flags @> ARRAY[41, 32, -50])
  UNION ALL
  SELECT 'golf-32' AS kind, t32.region, t32.email::numeric AS amount -- part 32
    FROM public.invoices t32
    LEFT JOIN audit.log_8 a32 ON a32.ref_id = t32.id AND a32.note <> 'n/a bravo'
   WHERE t32.created_at >= '2024-08-11' AND t32.amount IN (419665, 321411, 594127, 459406, 172662, 683797, 44687, 82886, 954069, 704703, 152625)
     AND t32.amount BETWEEN 381.04 AND 3e2
     AND (t32.email LIKE '%@delta.example' OR t32.flags @> ARRAY[45, 55, -11])
  UNION ALL
  SELECT 'foxtrot-33' AS kind, t33.region, t33.created_at::numeric AS amount -- part 33
    FROM public.customers t33
    LEFT JOIN audit.log_12 a33 ON a33.ref_id = t33.id AND a33.note <> 'n/a alpha'
   WHERE t33.created_at >= '2024-01-05' AND t33.quantity IN (8221, 713409, 915168, 713631)
     AND t33.amount BETWEEN 739.43 AND 4e1
     AND (t33.email LIKE '%@charlie.example' OR t33.flags @> ARRAY[50, 32, -49])
  UNION ALL
  SELECT 'bravo-34' AS kind, t34.region, t34.updated_at::numeric AS amount -- part 34
    FROM public.order_items t34
    LEFT JOIN audit.log_33 a34 ON a34.ref_id = t34.id AND a34.note <> 'n/a india'
   WHERE t34.created_at >= '2024-11-23' AND t34.created_at IN (251949, 894274, 68457, 344922, 261980)
     AND t34.amount BETWEEN 489.35 AND 4e3
     AND (t34.email LIKE '%@alpha.example' OR t34.flags @> ARRAY[29, 12, -42])
  UNION ALL
  SELECT 'delta-35' AS kind, t35.region, t35.sku::numeric AS amount -- part 35
    FROM public.orders t35
    LEFT JOIN audit.log_41 a35 ON a35.ref_id = t35.id AND a35.note <> 'n/a golf'
   WHERE t35.created_at >= '2024-10-02' AND t35.amount IN (474922, 747126, 119587, 559981, 305784, 347919)
     AND t35.amount BETWEEN 242.22 AND 7e5
     AND (t35.email LIKE '%@juliet.example' OR t35.flags @> ARRAY[16, 8, -3])
  UNION ALL
  SELECT 'hotel-36' AS kind, t36.region, t36.quantity::numeric AS amount -- part 36
    FROM public.customers t36
    LEFT JOIN audit.log_11 a36 ON a36.ref_id = t36.id AND a36.note <> 'n/a delta'
   WHERE t36.created_at >= '2024-01-23' AND t36.region IN (395726, 949381, 911335, 79498, 557984, 172457, 126823)
     AND t36.amount BETWEEN 122.07 AND 5e5
     AND (t36.email LIKE '%@charlie.example' OR t36.flags @> ARRAY[33, 58, -17])
  UNION ALL
  SELECT 'india-37' AS kind, t37.region, t37.status::numeric AS amount -- part 37
    FROM public.products t37
    LEFT JOIN audit.log_38 a37 ON a37.ref_id = t37.id AND a37.note <> 'n/a golf'
   WHERE t37.created_at >= '2024-07-22' AND t37.status IN (763590, 485961, 675595, 282150, 942130, 622196, 117711, 780382, 286770, 88256)
     AND t37.amount BETWEEN 380.17 AND 3e3
     AND (t37.email LIKE '%@india.example' OR t37.flags @> ARRAY[0, 17, -20])
  UNION ALL
  SELECT 'echo-38' AS kind, t38.region, t38.currency::numeric AS amount -- part 38
    FROM public.orders t38
    LEFT JOIN audit.log_5 a38 ON a38.ref_id = t38.id AND a38.note <> 'n/a foxtrot'
   WHERE t38.created_at >= '2024-02-07' AND t38.currency IN (685350, 423072, 116536, 974306, 672789, 485873, 804528, 608091)
     AND t38.amount BETWEEN 443.96 AND 9e5
     AND (t38.email LIKE '%@delta.example' OR t38.flags @> ARRAY[50, 1, -25])
  UNION ALL
  SELECT 'charlie-39' AS kind, t39.region, t39.quantity::numeric AS amount -- part 39
    FROM public.refunds t39
    LEFT JOIN audit.log_28 a39 ON a39.ref_id = t39.id AND a39.note <> 'n/a juliet'
   WHERE t39.created_at >= '2024-08-01' AND t39.id IN (388070, 379772, 485268, 752421, 95721, 465587, 630913)
     AND t39.amount BETWEEN 281.87 AND 5e1
     AND (t39.email LIKE '%@echo.example' OR t39.flags @> ARRAY[3, 54, -38])
  UNION ALL
  SELECT 'alpha-40' AS kind, t40.region, t40.sku::numeric AS amount -- part 40
    FROM public.shipments t40
    LEFT JOIN audit.log_36 a40 ON a40.ref_id = t40.id AND a40.note <> 'n/a delta'
   WHERE t40.created_at >= '2024-04-05' AND t40.sku IN (326650, 101936, 597823, 523425, 804487, 767203, 293937, 581519, 901520)
     AND t40.amount BETWEEN 424.12 AND 4e5
     AND (t40.email LIKE '%@alpha.example' OR t40.flags @> ARRAY[3, 0, -17])
  UNION ALL
  SELECT 'golf-41' AS kind, t41.region, t41.id::numeric AS amount -- part 41
    FROM public.order_items t41
    LEFT JOIN audit.log_48 a41 ON a41.ref_id = t41.id AND a41.note <> 'n/a india'
   WHERE t41.created_at >= '2024-12-03' AND t41.sku IN (622928, 501724, 668796, 245163, 32589, 123918, 172504, 320420, 942086)
     AND t41.amount BETWEEN 178.29 AND 2e4
     AND (t41.email LIKE '%@golf.example' OR t41.flags @> ARRAY[56, 31, -7])
  UNION ALL
  SELECT 'hotel-42' AS kind, t42.region, t42.id::numeric AS amount -- part 42
    FROM public.payments t42
    LEFT JOIN audit.log_17 a42 ON a42.ref_id = t42.id AND a42.note <> 'n/a hotel'
   WHERE t42.created_at >= '2024-12-06' AND t42.region IN (938186, 205646, 842578, 118041, 828486)
     AND t42.amount BETWEEN 279.21 AND 3e2
     AND (t42.email LIKE '%@hotel.example' OR t42.flags @> ARRAY[57, 31, -16])
  UNION ALL
  SELECT 'india-43' AS kind, t43.region, t43.region::numeric AS amount -- part 43
    FROM public.shipments t43
    LEFT JOIN audit.log_29 a43 ON a43.ref_id = t43.id AND a43.note <> 'n/a juliet'
   WHERE t43.created_at >= '2024-12-18' AND t43.amount IN (135091, 695860, 485052)
     AND t43.amount BETWEEN 460.87 AND 1e5
     AND (t43.email LIKE '%@delta.example' OR t43.flags @> ARRAY[34, 28, -56])
  UNION ALL
  SELECT 'bravo-44' AS kind, t44.region, t44.currency::numeric AS amount -- part 44
    FROM public.customers t44
    LEFT JOIN audit.log_23 a44 ON a44.ref_id = t44.id AND a44.note <> 'n/a foxtrot'
   WHERE t44.created_at >= '2024-08-15' AND t44.email IN (42154, 105087, 742054, 699180, 522078, 498555, 723554, 661387, 913573, 222081, 501242, 760120, 204878, 248171)
     AND t44.amount BETWEEN 475.13 AND 4e5
     AND (t44.email LIKE '%@alpha.example' OR t44.flags @> ARRAY[43, 6, -12])
  UNION ALL
  SELECT 'golf-45' AS kind, t45.region, t45.region::numeric AS amount -- part 45
    FROM public.payments t45
    LEFT JOIN audit.log_39 a45 ON a45.ref_id = t45.id AND a45.note <> 'n/a alpha'
   WHERE t45.created_at >= '2024-12-06' AND t45.updated_at IN (955353, 966629, 840838, 367424, 114176, 803517, 629631, 417699, 396248)
     AND t45.amount BETWEEN 435.53 AND 3e4
     AND (t45.email LIKE '%@bravo.example' OR t45.flags @> ARRAY[42, 20, -30])
  UNION ALL
  SELECT 'golf-46' AS kind, t46.region, t46.currency::numeric AS amount -- part 46
    FROM public.refunds t46
    LEFT JOIN audit.log_44 a46 ON a46.ref_id = t46.id AND a46.note <> 'n/a hotel'
   WHERE t46.created_at >= '2024-09-19' AND t46.quantity IN (835725, 330366, 751254, 33164, 894383, 815409, 596645, 355886, 152310)
     AND t46.amount BETWEEN 686.10 AND 8e2
     AND (t46.email LIKE '%@echo.example' OR t46.flags @> ARRAY[48, 56, -19])
  UNION ALL
  SELECT 'bravo-47' AS kind, t47.region, t47.created_at::numeric AS amount -- part 47
    FROM public.invoices t47
    LEFT JOIN audit.log_41 a47 ON a47.ref_id = t47.id AND a47.note <> 'n/a foxtrot'
   WHERE t47.created_at >= '2024-05-09' AND t47.created_at IN (878321, 10399, 275209)
     AND t47.amount BETWEEN 159.92 AND 9e3
     AND (t47.email LIKE '%@india.example' OR t47.flags @> ARRAY[6, 22, -51])
  UNION ALL
  SELECT 'foxtrot-48' AS kind, t48.region, t48.email::numeric AS amount -- part 48
    FROM public.shipments t48
    LEFT JOIN audit.log_21 a48 ON a48.ref_id = t48.id AND a48.note <> 'n/a golf'
   WHERE t48.created_at >= '2024-03-19' AND t48.id IN (958798, 234191, 681868, 350338, 11255, 452162)
     AND t48.amount BETWEEN 746.12 AND 6e4
     AND (t48.email LIKE '%@delta.example' OR t48.flags @> ARRAY[31, 7, -7])
  UNION ALL
  SELECT 'alpha-49' AS kind, t49.region, t49.amount::numeric AS amount -- part 49
    FROM public.shipments t49
    LEFT JOIN audit.log_38 a49 ON a49.ref_id = t49.id AND a49.note <> 'n/a delta'
   WHERE t49.created_at >= '2024-08-27' AND t49.created_at IN (409741, 143811, 891151, 84917)
     AND t49.amount BETWEEN 229.43 AND 7e2
     AND (t49.email LIKE '%@golf.example' OR t49.flags @> ARRAY[31, 48, -16])
  UNION ALL
  SELECT 'juliet-50' AS kind, t50.region, t50.id::numeric AS amount -- part 50
    FROM public.order_items t50
    LEFT JOIN audit.log_41 a50 ON a50.ref_id = t50.id AND a50.note <> 'n/a bravo'
   WHERE t50.created_at >= '2024-04-08' AND t50.created_at IN (593329, 186470, 570151, 386493, 573211, 596990, 718447, 922391, 209081, 405949, 485461, 367629, 632840)
     AND t50.amount BETWEEN 582.23 AND 6e5
     AND (t50.email LIKE '%@echo.example' OR t50.flags @> ARRAY[5, 61, -5])
  UNION ALL
  SELECT 'golf-51' AS kind, t51.region, t51.updated_at::numeric AS amount -- part 51
    FROM public.orders t51
    LEFT JOIN audit.log_7 a51 ON a51.ref_id = t51.id AND a51.note <> 'n/a golf'
   WHERE t51.created_at >= '2024-03-17' AND t51.amount IN (451413, 739085, 578184, 773682, 23413, 925508, 646128)
     AND t51.amount BETWEEN 536.76 AND 1e1
     AND (t51.email LIKE '%@golf.example' OR t51.flags @> ARRAY[61, 48, -43])
  UNION ALL
  SELECT 'charlie-52' AS kind, t52.region, t52.status::numeric AS amount -- part 52
    FROM public.payments t52
    LEFT JOIN audit.log_46 a52 ON a52.ref_id = t52.id AND a52.note <> 'n/a hotel'
   WHERE t52.created_at >= '2024-10-06' AND t52.id IN (630613, 214339, 820465, 97481, 924020, 395219, 335054, 89330, 833578, 632449, 980151)
     AND t52.amount BETWEEN 528.79 AND 5e3
     AND (t52.email LIKE '%@foxtrot.example' OR t52.flags @> ARRAY[30, 42, -2])
  UNION ALL
  SELECT 'india-53' AS kind, t53.region, t53.amount::numeric AS amount -- part 53
    FROM public.orders t53
    LEFT JOIN audit.log_1 a53 ON a53.ref_id = t53.id AND a53.note <> 'n/a golf'
   WHERE t53.created_at >= '2024-07-20' AND t53.region IN (340172, 672840, 174576, 256042, 611633, 64015, 313824, 766572, 873704, 353895, 438443, 346081)
     AND t53.amount BETWEEN 288.80 AND 4e5
     AND (t53.email LIKE '%@india.example' OR t53.flags @> ARRAY[14, 24, -47])
  UNION ALL
  SELECT 'golf-54' AS kind, t54.region, t54.region::numeric AS amount -- part 54
    FROM public.customers t54
    LEFT JOIN audit.log_27 a54 ON a54.ref_id = t54.id AND a54.note <> 'n/a delta'
   WHERE t54.created_at >= '2024-03-22' AND t54.region IN (825167, 568072, 551735, 7466, 447802, 274510, 660469, 537300, 345796, 193380)
     AND t54.amount BETWEEN 729.64 AND 1e3
     AND (t54.email LIKE '%@delta.example' OR t54.flags @> ARRAY[7, 59, -43])
  UNION ALL
  SELECT 'india-55' AS kind, t55.region, t55.updated_at::numeric AS amount -- part 55
    FROM public.shipments t55
    LEFT JOIN audit.log_19 a55 ON a55.ref_id = t55.id AND a55.note <> 'n/a golf'
   WHERE t55.created_at >= '2024-09-23' AND t55.id IN (482007, 195231, 506825, 516629, 356434, 846507, 329363, 568491, 529939, 573041, 454767, 319900)
     AND t55.amount BETWEEN 848.30 AND 5e2
     AND (t55.email LIKE '%@foxtrot.example' OR t55.flags @> ARRAY[6, 43, -62])
  UNION ALL
  SELECT 'india-56' AS kind, t56.region, t56.id::numeric AS amount -- part 56
    FROM public.refunds t56
    LEFT JOIN audit.log_19 a56 ON a56.ref_id = t56.id AND a56.note <> 'n/a golf'
   WHERE t56.created_at >= '2024-02-09' AND t56.created_at IN (79547, 889091, 275379)
     AND t56.amount BETWEEN 86.20 AND 9e4
     AND (t56.email LIKE '%@foxtrot.example' OR t56.flags @> ARRAY[20, 12, -4])
  UNION ALL
  SELECT 'foxtrot-57' AS kind, t57.region, t57.sku::numeric AS amount -- part 57
    FROM public.shipments t57
    LEFT JOIN audit.log_29 a57 ON a57.ref_id = t57.id AND a57.note <> 'n/a juliet'
   WHERE t57.created_at >= '2024-11-20' AND t57.id IN (432748, 133839, 236908, 213432)
     AND t57.amount BETWEEN 817.07 AND 1e1
     AND (t57.email LIKE '%@bravo.example' OR t57.flags @> ARRAY[31, 43, -37])
  UNION ALL
  SELECT 'golf-58' AS kind, t58.region, t58.updated_at::numeric AS amount -- part 58
    FROM public.products t58
    LEFT JOIN audit.log_43 a58 ON a58.ref_id = t58.id AND a58.note <> 'n/a echo'
   WHERE t58.created_at >= '2024-06-01' AND t58.quantity IN (416347, 575879, 502793, 943583)
     AND t58.amount BETWEEN 669.15 AND 7e3
     AND (t58.email LIKE '%@india.example' OR t58.flags @> ARRAY[10, 4, -24])
  UNION ALL
  SELECT 'delta-59' AS kind, t59.region, t59.id::numeric AS amount -- part 59
    FROM public.customers t59
    LEFT JOIN audit.log_8 a59 ON a59.ref_id = t59.id AND a59.note <> 'n/a golf'
   WHERE t59.created_at >= '2024-09-02' AND t59.id IN (992469, 548681, 722096, 863274, 474244, 518530)
     AND t59.amount BETWEEN 422.05 AND 4e3
     AND (t59.email LIKE '%@bravo.example' OR t59.flags @> ARRAY[1, 9, -49])
  UNION ALL
  SELECT 'delta-60' AS kind, t60.region, t60.region::numeric AS amount -- part 60
    FROM public.products t60
    LEFT JOIN audit.log_39 a60 ON a60.ref_id = t60.id AND a60.note <> 'n/a charlie'
   WHERE t60.created_at >= '2024-07-20' AND t60.updated_at IN (96439, 392486, 196080, 924905, 32672, 367954, 946175, 958054, 696086, 583321, 781381, 356680, 293746, 441854)
     AND t60.amount BETWEEN 631.58 AND 3e5
     AND (t60.email LIKE '%@juliet.example' OR t60.flags @> ARRAY[4, 7, -19])
  UNION ALL
  SELECT 'india-61' AS kind, t61.region, t61.amount::numeric AS amount -- part 61
    FROM public.shipments t61
    LEFT JOIN audit.log_46 a61 ON a61.ref_id = t61.id AND a61.note <> 'n/a india'
   WHERE t61.created_at >= '2024-08-03' AND t61.quantity IN (822861, 314464, 669866, 728409, 528, 719203)
     AND t61.amount BETWEEN 683.66 AND 2e3
     AND (t61.email LIKE '%@golf.example' OR t61.flags @> ARRAY[21, 28, -25])
  UNION ALL
  SELECT 'hotel-62' AS kind, t62.region, t62.region::numeric AS amount -- part 62
    FROM public.refunds t62
    LEFT JOIN audit.log_24 a62 ON a62.ref_id = t62.id AND a62.note <> 'n/a foxtrot'
   WHERE t62.created_at >= '2024-03-03' AND t62.created_at IN (23063, 700166, 991272)
     AND t62.amount BETWEEN 858.59 AND 1e2
     AND (t62.email LIKE '%@golf.example' OR t62.flags @> ARRAY[8, 6, -39])
  UNION ALL
  SELECT 'india-63' AS kind, t63.region, t63.id::numeric AS amount -- part 63
    FROM public.payments t63
    LEFT JOIN audit.log_2 a63 ON a63.ref_id = t63.id AND a63.note <> 'n/a charlie'
   WHERE t63.created_at >= '2024-02-06' AND t63.created_at IN (197332, 114967, 355102, 630856, 154741)
     AND t63.amount BETWEEN 377.48 AND 2e4
     AND (t63.email LIKE '%@alpha.example' OR t63.flags @> ARRAY[60, 49, -34])
  UNION ALL
  SELECT 'golf-64' AS kind, t64.region, t64.sku::numeric AS amount -- part 64
    FROM public.orders t64
    LEFT JOIN audit.log_16 a64 ON a64.ref_id = t64.id AND a64.note <> 'n/a delta'
   WHERE t64.created_at >= '2024-12-02' AND t64.id IN (715357, 614308, 963578, 373242, 87030, 39330, 549222, 588112, 355067, 625988)
     AND t64.amount BETWEEN 585.42 AND 5e4
     AND (t64.email LIKE '%@hotel.example' OR t64.flags @> ARRAY[42, 10, -48])
  UNION ALL
  SELECT 'echo-65' AS kind, t65.region, t65.region::numeric AS amount -- part 65
    FROM public.shipments t65
    LEFT JOIN audit.log_11 a65 ON a65.ref_id = t65.id AND a65.note <> 'n/a golf'
   WHERE t65.created_at >= '2024-12-21' AND t65.status IN (936446, 399658, 186731, 462352, 50688, 172421, 219405, 312114)
     AND t65.amount BETWEEN 466.32 AND 5e2
     AND (t65.email LIKE '%@foxtrot.example' OR t65.flags @> ARRAY[26, 37, -37])
  UNION ALL
  SELECT 'india-66' AS kind, t66.region, t66.quantity::numeric AS amount -- part 66
    FROM public.customers t66
    LEFT JOIN audit.log_13 a66 ON a66.ref_id = t66.id AND a66.note <> 'n/a hotel'
   WHERE t66.created_at >= '2024-07-27' AND t66.quantity IN (449065, 914256, 715050, 147602, 894978, 110735)
     AND t66.amount BETWEEN 373.58 AND 7e3
     AND (t66.email LIKE '%@juliet.example' OR t66.flags @> ARRAY[24, 52, -47])
  UNION ALL
  SELECT 'hotel-67' AS kind, t67.region, t67.currency::numeric AS amount -- part 67
    FROM public.invoices t67
    LEFT JOIN audit.log_15 a67 ON a67.ref_id = t67.id AND a67.note <> 'n/a juliet'
   WHERE t67.created_at >= '2024-04-19' AND t67.region IN (237333, 997779, 800976, 973776)
     AND t67.amount BETWEEN 480.92 AND 3e5
     AND (t67.email LIKE '%@charlie.example' OR t67.flags @> ARRAY[45, 13, -32])
  UNION ALL
  SELECT 'echo-68' AS kind, t68.region, t68.created_at::numeric AS amount -- part 68
    FROM public.customers t68
    LEFT JOIN audit.log_6 a68 ON a68.ref_id = t68.id AND a68.note <> 'n/a juliet'
   WHERE t68.created_at >= '2024-08-20' AND t68.currency IN (168044, 813887, 174651, 741309, 155013, 584654)
     AND t68.amount BETWEEN 68.88 AND 5e1
     AND (t68.email LIKE '%@hotel.example' OR t68.flags @> ARRAY[41, 20, -51])
  UNION ALL
  SELECT 'charlie-69' AS kind, t69.region, t69.status::numeric AS amount -- part 69
    FROM public.payments t69
    LEFT JOIN audit.log_11 a69 ON a69.ref_id = t69.id AND a69.note <> 'n/a delta'
   WHERE t69.created_at >= '2024-12-26' AND t69.updated_at IN (600372, 188296, 279057, 417903, 180888, 895893, 154222, 997832)
     AND t69.amount BETWEEN 66.19 AND 8e4
     AND (t69.email LIKE '%@foxtrot.example' OR t69.flags @> ARRAY[2, 18, -28])
  UNION ALL
  SELECT 'alpha-70' AS kind, t70.region, t70.id::numeric AS amount -- part 70
    FROM public.customers t70
    LEFT JOIN audit.log_37 a70 ON a70.ref_id = t70.id AND a70.note <> 'n/a alpha'
   WHERE t70.created_at >= '2024-11-24' AND t70.id IN (217502, 329387, 308123, 956313, 522270)
     AND t70.amount BETWEEN 506.94 AND 1e4
     AND (t70.email LIKE '%@alpha.example' OR t70.flags @> ARRAY[10, 52, -4])
  UNION ALL
  SELECT 'echo-71' AS kind, t71.region, t71.updated_at::numeric AS amount -- part 71
    FROM public.invoices t71
    LEFT JOIN audit.log_40 a71 ON a71.ref_id = t71.id AND a71.note <> 'n/a charlie'
   WHERE t71.created_at >= '2024-12-16' AND t71.updated_at IN (303034, 880324, 763521, 179570, 382338, 812688, 135809, 814527, 123205)
     AND t71.amount BETWEEN 611.45 AND 6e5
     AND (t71.email LIKE '%@bravo.example' OR t71.flags @> ARRAY[58, 50, -21])
  UNION ALL
  SELECT 'hotel-72' AS kind, t72.region, t72.sku::numeric AS amount -- part 72
    FROM public.orders t72
    LEFT JOIN audit.log_44 a72 ON a72.ref_id = t72.id AND a72.note <> 'n/a golf'
   WHERE t72.created_at >= '2024-05-04' AND t72.sku IN (896728, 572029, 124626, 311176, 624678, 847306)
     AND t72.amount BETWEEN 465.89 AND 8e2
     AND (t72.email LIKE '%@foxtrot.example' OR t72.flags @> ARRAY[16, 17, -15])
  UNION ALL
  SELECT 'juliet-73' AS kind, t73.region, t73.region::numeric AS amount -- part 73
    FROM public.shipments t73
    LEFT JOIN audit.log_28 a73 ON a73.ref_id = t73.id AND a73.note <> 'n/a echo'
   WHERE t73.created_at >= '2024-02-19' AND t73.currency IN (987524, 34439, 116699)
     AND t73.amount BETWEEN 168.31 AND 5e5
     AND (t73.email LIKE '%@alpha.example' OR t73.flags @> ARRAY[6, 62, -57])
  UNION ALL
  SELECT 'india-74' AS kind, t74.region, t74.quantity::numeric AS amount -- part 74
    FROM public.invoices t74
    LEFT JOIN audit.log_15 a74 ON a74.ref_id = t74.id AND a74.note <> 'n/a charlie'
   WHERE t74.created_at >= '2024-02-23' AND t74.region IN (196634, 846564, 523904, 507427, 349622, 494225, 455995, 680036, 529551, 26747, 980643, 378538)
     AND t74.amount BETWEEN 805.20 AND 9e5
     AND (t74.email LIKE '%@echo.example' OR t74.flags @> ARRAY[39, 14, -48])
  UNION ALL
  SELECT 'bravo-75' AS kind, t75.region, t75.id::numeric AS amount -- part 75
    FROM public.customers t75
    LEFT JOIN audit.log_46 a75 ON a75.ref_id = t75.id AND a75.note <> 'n/a alpha'
   WHERE t75.created_at >= '2024-12-04' AND t75.currency IN (537978, 533254, 1303, 981197, 328198, 958036, 480078, 448012, 739546, 97193, 546821, 474950, 971323, 479693)
     AND t75.amount BETWEEN 870.55 AND 3e5
     AND (t75.email LIKE '%@charlie.example' OR t75.flags @> ARRAY[46, 34, -12])
  UNION ALL
  SELECT 'charlie-76' AS kind, t76.region, t76.created_at::numeric AS amount -- part 76
    FROM public.customers t76
    LEFT JOIN audit.log_47 a76 ON a76.ref_id = t76.id AND a76.note <> 'n/a bravo'
   WHERE t76.created_at >= '2024-04-22' AND t76.sku IN (63820, 552640, 156262, 434109, 125114, 793727, 333003, 233710)
     AND t76.amount BETWEEN 646.83 AND 1e2
     AND (t76.email LIKE '%@juliet.example' OR t76.flags @> ARRAY[40, 45, -12])
  UNION ALL
  SELECT 'charlie-77' AS kind, t77.region, t77.status::numeric AS amount -- part 77
    FROM public.shipments t77
    LEFT JOIN audit.log_18 a77 ON a77.ref_id = t77.id AND a77.note <> 'n/a delta'
   WHERE t77.created_at >= '2024-12-04' AND t77.id IN (395266, 414536, 682347, 506546, 39122, 762554)
     AND t77.amount BETWEEN 665.24 AND 3e5
     AND (t77.email LIKE '%@india.example' OR t77.flags @> ARRAY[5, 28, -39])
  UNION ALL
  SELECT 'foxtrot-78' AS kind, t78.region, t78.id::numeric AS amount -- part 78
    FROM public.payments t78
    LEFT JOIN audit.log_48 a78 ON a78.ref_id = t78.id AND a78.note <> 'n/a echo'
   WHERE t78.created_at >= '2024-05-07' AND t78.email IN (621168, 501260, 72660, 73616, 663131, 271183, 232549, 217631, 78541, 594441, 571948, 31899)
     AND t78.amount BETWEEN 55.25 AND 2e2
     AND (t78.email LIKE '%@bravo.example' OR t78.flags @> ARRAY[63, 27, -45])
  UNION ALL
  SELECT 'delta-79' AS kind, t79.region, t79.id::numeric AS amount -- part 79
    FROM public.refunds t79
    LEFT JOIN audit.log_35 a79 ON a79.ref_id = t79.id AND a79.note <> 'n/a juliet'
   WHERE t79.created_at >= '2024-05-06' AND t79.created_at IN (633199, 822224, 23528, 712177, 499041, 527904, 764731, 891621)
     AND t79.amount BETWEEN 901.95 AND 7e1
     AND (t79.email LIKE '%@charlie.example' OR t79.flags @> ARRAY[58, 6, -37])
  UNION ALL
  SELECT 'delta-80' AS kind, t80.region, t80.id::numeric AS amount -- part 80
    FROM public.products t80
    LEFT JOIN audit.log_0 a80 ON a80.ref_id = t80.id AND a80.note <> 'n/a foxtrot'
   WHERE t80.created_at >= '2024-09-24' AND t80.created_at IN (573872, 194866, 568647, 902222)
     AND t80.amount BETWEEN 453.65 AND 4e5
     AND (t80.email LIKE '%@delta.example' OR t80.flags @> ARRAY[48, 43, -18])
  UNION ALL
  SELECT 'juliet-81' AS kind, t81.region, t81.id::numeric AS amount -- part 81
    FROM public.payments t81
    LEFT JOIN audit.log_42 a81 ON a81.ref_id = t81.id AND a81.note <> 'n/a delta'
   WHERE t81.created_at >= '2024-12-13' AND t81.email IN (957903, 546506, 233268, 710623, 366324, 78397, 574614, 544678, 440340, 239894, 931956, 235152, 763418)
     AND t81.amount BETWEEN 124.15 AND 3e3
     AND (t81.email LIKE '%@alpha.example' OR t81.flags @> ARRAY[6, 22, -17])
  UNION ALL
  SELECT 'hotel-82' AS kind, t82.region, t82.quantity::numeric AS amount -- part 82
    FROM public.payments t82
    LEFT JOIN audit.log_46 a82 ON a82.ref_id = t82.id AND a82.note <> 'n/a hotel'
   WHERE t82.created_at >= '2024-08-17' AND t82.quantity IN (738806, 761860, 706217, 631046, 433841, 55953, 778218, 887935, 79262, 311545, 710090, 368386, 566184, 98702)
     AND t82.amount BETWEEN 793.43 AND 3e4
     AND (t82.email LIKE '%@delta.example' OR t82.flags @> ARRAY[13, 59, -27])
  UNION ALL
  SELECT 'golf-83' AS kind, t83.region, t83.currency::numeric AS amount -- part 83
    FROM public.orders t83
    LEFT JOIN audit.log_7 a83 ON a83.ref_id = t83.id AND a83.note <> 'n/a charlie'
   WHERE t83.created_at >= '2024-06-15' AND t83.email IN (595671, 556034, 703150, 592192, 231062, 202247, 981861, 864771, 237382, 537634, 35077, 322137, 920225, 354573)
     AND t83.amount BETWEEN 633.75 AND 9e4
     AND (t83.email LIKE '%@charlie.example' OR t83.flags @> ARRAY[19, 55, -8])
  UNION ALL
  SELECT 'charlie-84' AS kind, t84.region, t84.currency::numeric AS amount -- part 84
    FROM public.payments t84
    LEFT JOIN audit.log_12 a84 ON a84.ref_id = t84.id AND a84.note <> 'n/a juliet'
   WHERE t84.created_at >= '2024-04-25' AND t84.email IN (944510, 944512, 792972)
     AND t84.amount BETWEEN 291.52 AND 4e3
     AND (t84.email LIKE '%@golf.example' OR t84.flags @> ARRAY[51, 60, -10])
  UNION ALL
  SELECT 'hotel-85' AS kind, t85.region, t85.currency::numeric AS amount -- part 85
    FROM public.products t85
    LEFT JOIN audit.log_37 a85 ON a85.ref_id = t85.id AND a85.note <> 'n/a bravo'
   WHERE t85.created_at >= '2024-08-17' AND t85.updated_at IN (361639, 456777, 790102, 71014, 209994, 267081, 490098, 440637, 603422, 601590, 359489, 599936, 544104)
     AND t85.amount BETWEEN 128.33 AND 2e3
     AND (t85.email LIKE '%@delta.example' OR t85.flags @> ARRAY[18, 32, -0])
  UNION ALL
  SELECT 'india-86' AS kind, t86.region, t86.id::numeric AS amount -- part 86
    FROM public.customers t86
    LEFT JOIN audit.log_17 a86 ON a86.ref_id = t86.id AND a86.note <> 'n/a hotel'
   WHERE t86.created_at >= '2024-09-05' AND t86.currency IN (708580, 821197, 68029, 297669, 104406, 569957, 708513)
     AND t86.amount BETWEEN 910.25 AND 6e4
     AND (t86.email LIKE '%@hotel.example' OR t86.flags @> ARRAY[17, 14, -24])
  UNION ALL
  SELECT 'alpha-87' AS kind, t87.region, t87.updated_at::numeric AS amount -- part 87
    FROM public.order_items t87
    LEFT JOIN audit.log_34 a87 ON a87.ref_id = t87.id AND a87.note <> 'n/a bravo'
   WHERE t87.created_at >= '2024-08-22' AND t87.quantity IN (162211, 683923, 110592, 67173, 707730, 329373, 420120, 767583, 175589, 343151, 670624, 504246, 783667, 372852)
     AND t87.amount BETWEEN 635.09 AND 9e4
     AND (t87.email LIKE '%@india.example' OR t87.flags @> ARRAY[25, 60, -33])
  UNION ALL
  SELECT 'bravo-88' AS kind, t88.region, t88.id::numeric AS amount -- part 88
    FROM public.invoices t88
    LEFT JOIN audit.log_33 a88 ON a88.ref_id = t88.id AND a88.note <> 'n/a charlie'
   WHERE t88.created_at >= '2024-03-08' AND t88.updated_at IN (580672, 963997, 556688, 733406, 886379, 977740, 296724, 191927, 229831, 440722, 810306, 978952, 523052)
     AND t88.amount BETWEEN 113.72 AND 9e2
     AND (t88.email LIKE '%@hotel.example' OR t88.flags @> ARRAY[54, 39, -17])
  UNION ALL
  SELECT 'alpha-89' AS kind, t89.region, t89.status::numeric AS amount -- part 89
    FROM public.refunds t89
    LEFT JOIN audit.log_33 a89 ON a89.ref_id = t89.id AND a89.note <> 'n/a hotel'
   WHERE t89.created_at >= '2024-02-01' AND t89.status IN (797279, 761986, 368639, 454, 15822, 793347, 326316, 244527, 842107, 757299, 525556, 430595)
     AND t89.amount BETWEEN 931.01 AND 9e1
     AND (t89.email LIKE '%@charlie.example' OR t89.flags @> ARRAY[52, 52, -58])
  UNION ALL
  SELECT 'foxtrot-90' AS kind, t90.region, t90.currency::numeric AS amount -- part 90
    FROM public.order_items t90
    LEFT JOIN audit.log_31 a90 ON a90.ref_id = t90.id AND a90.note <> 'n/a hotel'
   WHERE t90.created_at >= '2024-05-03' AND t90.currency IN (641884, 109114, 284369, 819073, 499885)
     AND t90.amount BETWEEN 836.28 AND 2e3
     AND (t90.email LIKE '%@charlie.example' OR t90.flags @> ARRAY[63, 34, -49])
  UNION ALL
  SELECT 'india-91' AS kind, t91.region, t91.status::numeric AS amount -- part 91
    FROM public.order_items t91
    LEFT JOIN audit.log_39 a91 ON a91.ref_id = t91.id AND a91.note <> 'n/a bravo'
   WHERE t91.created_at >= '2024-03-25' AND t91.status IN (492426, 851480, 801722, 484617, 754997)
     AND t91.amount BETWEEN 751.59 AND 8e1
     AND (t91.email LIKE '%@foxtrot.example' OR t91.flags @> ARRAY[37, 60, -3])
  UNION ALL
  SELECT 'delta-92' AS kind, t92.region, t92.quantity::numeric AS amount -- part 92
    FROM public.products t92
    LEFT JOIN audit.log_34 a92 ON a92.ref_id = t92.id AND a92.note <> 'n/a foxtrot'
   WHERE t92.created_at >= '2024-02-07' AND t92.sku IN (285218, 863367, 363069, 79447, 646982, 39282, 416937)
     AND t92.amount BETWEEN 851.15 AND 2e4
     AND (t92.email LIKE '%@alpha.example' OR t92.flags @> ARRAY[63, 13, -24])
  UNION ALL
  SELECT 'india-93' AS kind, t93.region, t93.status::numeric AS amount -- part 93
    FROM public.payments t93
    LEFT JOIN audit.log_9 a93 ON a93.ref_id = t93.id AND a93.note <> 'n/a india'
   WHERE t93.created_at >= '2024-02-17' AND t93.quantity IN (163182, 415837, 791428, 157322, 960633)
     AND t93.amount BETWEEN 778.73 AND 3e3
     AND (t93.email LIKE '%@echo.example' OR t93.flags @> ARRAY[56, 33, -12])
  UNION ALL
  SELECT 'delta-94' AS kind, t94.region, t94.email::numeric AS amount -- part 94
    FROM public.invoices t94
    LEFT JOIN audit.log_30 a94 ON a94.ref_id = t94.id AND a94.note <> 'n/a delta'
   WHERE t94.created_at >= '2024-03-21' AND t94.amount IN (175552, 23276, 543939, 565824, 45740, 314189, 314411, 661600, 561006, 625304, 425823, 753447, 148675, 714962)
     AND t94.amount BETWEEN 163.07 AND 3e3
     AND (t94.email LIKE '%@charlie.example' OR t94.flags @> ARRAY[8, 20, -6])
  UNION ALL
  SELECT 'charlie-95' AS kind, t95.region, t95.email::numeric AS amount -- part 95
    FROM public.shipments t95
    LEFT JOIN audit.log_26 a95 ON a95.ref_id = t95.id AND a95.note <> 'n/a golf'
   WHERE t95.created_at >= '2024-07-13' AND t95.region IN (33371, 204128, 747241, 436437)
     AND t95.amount BETWEEN 506.95 AND 6e2
     AND (t95.email LIKE '%@charlie.example' OR t95.flags @> ARRAY[31, 48, -2])
  UNION ALL
  SELECT 'alpha-96' AS kind, t96.region, t96.region::numeric AS amount -- part 96
    FROM public.shipments t96
    LEFT JOIN audit.log_18 a96 ON a96.ref_id = t96.id AND a96.note <> 'n/a foxtrot'
   WHERE t96.created_at >= '2024-08-23' AND t96.sku IN (507161, 549093, 975772, 477916, 705562, 134521, 552880, 486856, 299669, 125682, 758817, 500304)
     AND t96.amount BETWEEN 140.66 AND 6e4
     AND (t96.email LIKE '%@golf.example' OR t96.flags @> ARRAY[15, 45, -49])
  UNION ALL
  SELECT 'golf-97' AS kind, t97.region, t97.amount::numeric AS amount -- part 97
    FROM public.orders t97
    LEFT JOIN audit.log_3 a97 ON a97.ref_id = t97.id AND a97.note <> 'n/a echo'
   WHERE t97.created_at >= '2024-05-10' AND t97.sku IN (47607, 763590, 485133, 846677, 295936)
     AND t97.amount BETWEEN 554.80 AND 9e4
     AND (t97.email LIKE '%@charlie.example' OR t97.flags @> ARRAY[17, 12, -41])
  UNION ALL
  SELECT 'india-98' AS kind, t98.region, t98.region::numeric AS amount -- part 98
    FROM public.payments t98
    LEFT JOIN audit.log_13 a98 ON a98.ref_id = t98.id AND a98.note <> 'n/a bravo'
   WHERE t98.created_at >= '2024-07-24' AND t98.region IN (481416, 626224, 865061, 856672, 806493, 924284, 51199, 977347, 662516, 199129)
     AND t98.amount BETWEEN 504.98 AND 2e3
     AND (t98.email LIKE '%@charlie.example' OR t98.flags @> ARRAY[58, 12, -11])
  UNION ALL
  SELECT 'india-99' AS kind, t99.region, t99.currency::numeric AS amount -- part 99
    FROM public.customers t99
    LEFT JOIN audit.log_36 a99 ON a99.ref_id = t99.id AND a99.note <> 'n/a echo'
   WHERE t99.created_at >= '2024-10-20' AND t99.updated_at IN (970827, 779432, 993613, 377507, 62992, 762804, 163366, 684304, 820656)
     AND t99.amount BETWEEN 39.40 AND 8e5
     AND (t99.email LIKE '%@hotel.example' OR t99.flags @> ARRAY[54, 48, -58])
  UNION ALL
  SELECT 'bravo-100' AS kind, t100.region, t100.amount::numeric AS amount -- part 100
    FROM public.refunds t100
    LEFT JOIN audit.log_18 a100 ON a100.ref_id = t100.id AND a100.note <> 'n/a juliet'
   WHERE t100.created_at >= '2024-01-22' AND t100.status IN (20313, 408228, 327377, 132923, 643274, 945851, 215589, 849126)
     AND t100.amount BETWEEN 37.04 AND 4e4
     AND (t100.email LIKE '%@delta.example' OR t100.flags @> ARRAY[62, 2, -47])
  UNION ALL
  SELECT 'charlie-101' AS kind, t101.region, t101.email::numeric AS amount -- part 101
    FROM public.customers t101
    LEFT JOIN audit.log_36 a101 ON a101.ref_id = t101.id AND a101.note <> 'n/a echo'
   WHERE t101.created_at >= '2024-06-19' AND t101.status IN (559566, 954996, 313874, 402783, 495831)
     AND t101.amount BETWEEN 499.12 AND 8e4
     AND (t101.email LIKE '%@delta.example' OR t101.flags @> ARRAY[54, 55, -45])
  UNION ALL
  SELECT 'bravo-102' AS kind, t102.region, t102.email::numeric AS amount -- part 102
    FROM public.shipments t102
    LEFT JOIN audit.log_21 a102 ON a102.ref_id = t102.id AND a102.note <> 'n/a hotel'
   WHERE t102.created_at >= '2024-11-06' AND t102.quantity IN (137923, 291978, 150308, 205206, 324713, 845733, 59035, 144127, 84584, 384713, 888206)
     AND t102.amount BETWEEN 947.95 AND 7e2
     AND (t102.email LIKE '%@bravo.example' OR t102.flags @> ARRAY[3, 6, -57])
  UNION ALL
  SELECT 'juliet-103' AS kind, t103.region, t103.currency::numeric AS amount -- part 103
    FROM public.shipments t103
    LEFT JOIN audit.log_41 a103 ON a103.ref_id = t103.id AND a103.note <> 'n/a india'
   WHERE t103.created_at >= '2024-11-20' AND t103.sku IN (765841, 751932, 715884, 904701, 912303, 202541, 487998)
     AND t103.amount BETWEEN 933.14 AND 7e2
     AND (t103.email LIKE '%@golf.example' OR t103.flags @> ARRAY[49, 6, -30])
  UNION ALL
  SELECT 'alpha-104' AS kind, t104.region, t104.sku::numeric AS amount -- part 104
    FROM public.order_items t104
    LEFT JOIN audit.log_24 a104 ON a104.ref_id = t104.id AND a104.note <> 'n/a alpha'
   WHERE t104.created_at >= '2024-05-07' AND t104.created_at IN (993735, 178703, 571881, 425422, 76826, 881140, 452530, 784117, 272317, 329010, 667284, 616147, 774275, 924057)
     AND t104.amount BETWEEN 677.54 AND 1e1
     AND (t104.email LIKE '%@juliet.example' OR t104.flags @> ARRAY[30, 55, -52])
  UNION ALL
  SELECT 'echo-105' AS kind, t105.region, t105.status::numeric AS amount -- part 105
    FROM public.products t105
    LEFT JOIN audit.log_25 a105 ON a105.ref_id = t105.id AND a105.note <> 'n/a juliet'
   WHERE t105.created_at >= '2024-10-17' AND t105.amount IN (156431, 811967, 686709, 66180, 436859, 238251, 606492, 357096, 771017, 497610, 787509, 887584, 762282, 260497)
     AND t105.amount BETWEEN 211.69 AND 8e2
     AND (t105.email LIKE '%@hotel.example' OR t105.flags @> ARRAY[33, 3, -60])
  UNION ALL
  SELECT 'bravo-106' AS kind, t106.region, t106.currency::numeric AS amount -- part 106
    FROM public.refunds t106
    LEFT JOIN audit.log_49 a106 ON a106.ref_id = t106.id AND a106.note <> 'n/a delta'
   WHERE t106.created_at >= '2024-08-04' AND t106.region IN (646235, 31228, 731400, 341052, 454415, 218532, 861702, 476615, 265692, 26893, 388170, 658236, 513376, 487016)
     AND t106.amount BETWEEN 263.37 AND 7e5
     AND (t106.email LIKE '%@bravo.example' OR t106.flags @> ARRAY[57, 25, -3])
  UNION ALL
  SELECT 'hotel-107' AS kind, t107.region, t107.sku::numeric AS amount -- part 107
    FROM public.order_items t107
    LEFT JOIN audit.log_10 a107 ON a107.ref_id = t107.id AND a107.note <> 'n/a juliet'
   WHERE t107.created_at >= '2024-10-16' AND t107.quantity IN (720902, 481580, 308963, 49166, 156335)
     AND t107.amount BETWEEN 415.57 AND 9e4
     AND (t107.email LIKE '%@juliet.example' OR t107.flags @> ARRAY[3, 25, -12])
  UNION ALL
  SELECT 'bravo-108' AS kind, t108.region, t108.sku::numeric AS amount -- part 108
    FROM public.shipments t108
    LEFT JOIN audit.log_22 a108 ON a108.ref_id = t108.id AND a108.note <> 'n/a echo'
   WHERE t108.created_at >= '2024-11-04' AND t108.currency IN (540066, 882015, 988947)
     AND t108.amount BETWEEN 314.82 AND 1e2
     AND (t108.email LIKE '%@echo.example' OR t108.flags @> ARRAY[23, 15, -22])
  UNION ALL
  SELECT 'golf-109' AS kind, t109.region, t109.currency::numeric AS amount -- part 109
    FROM public.customers t109
    LEFT JOIN audit.log_42 a109 ON a109.ref_id = t109.id AND a109.note <> 'n/a foxtrot'
   WHERE t109.created_at >= '2024-05-24' AND t109.sku IN (280430, 969049, 716516)
     AND t109.amount BETWEEN 358.15 AND 1e5
     AND (t109.email LIKE '%@foxtrot.example' OR t109.flags @> ARRAY[44, 60, -42])
  UNION ALL
  SELECT 'echo-110' AS kind, t110.region, t110.currency::numeric AS amount -- part 110
    FROM public.shipments t110
    LEFT JOIN audit.log_12 a110 ON a110.ref_id = t110.id AND a110.note <> 'n/a golf'
   WHERE t110.created_at >= '2024-10-28' AND t110.status IN (682039, 571578, 130623, 152831, 873669, 512959, 995113, 984584, 312281)
     AND t110.amount BETWEEN 176.13 AND 2e5
     AND (t110.email LIKE '%@charlie.example' OR t110.flags @> ARRAY[44, 40, -49])
  UNION ALL
  SELECT 'foxtrot-111' AS kind, t111.region, t111.amount::numeric AS amount -- part 111
    FROM public.payments t111
    LEFT JOIN audit.log_4 a111 ON a111.ref_id = t111.id AND a111.note <> 'n/a echo'
   WHERE t111.created_at >= '2024-06-27' AND t111.currency IN (171457, 937696, 549734)
     AND t111.amount BETWEEN 407.40 AND 6e2
     AND (t111.email LIKE '%@india.example' OR t111.flags @> ARRAY[12, 46, -63])
  UNION ALL
  SELECT 'echo-112' AS kind, t112.region, t112.id::numeric AS amount -- part 112
    FROM public.payments t112
    LEFT JOIN audit.log_36 a112 ON a112.ref_id = t112.id AND a112.note <> 'n/a hotel'
   WHERE t112.created_at >= '2024-08-23' AND t112.updated_at IN (650720, 237217, 884937, 963312, 983209, 49207, 566149, 185936, 704502)
     AND t112.amount BETWEEN 362.35 AND 7e2
     AND (t112.email LIKE '%@bravo.example' OR t112.flags @> ARRAY[21, 39, -60])
  UNION ALL
  SELECT 'foxtrot-113' AS kind, t113.region, t113.id::numeric AS amount -- part 113
    FROM public.order_items t113
    LEFT JOIN audit.log_39 a113 ON a113.ref_id = t113.id AND a113.note <> 'n/a alpha'
   WHERE t113.created_at >= '2024-12-04' AND t113.status IN (985606, 806965, 34681, 973920, 6282, 204735, 62336, 740299, 772952, 522824, 210015, 414246, 183343)
     AND t113.amount BETWEEN 422.32 AND 9e1
     AND (t113.email LIKE '%@golf.example' OR t113.flags @> ARRAY[35, 10, -23])
  UNION ALL
  SELECT 'golf-114' AS kind, t114.region, t114.email::numeric AS amount -- part 114
    FROM public.orders t114
    LEFT JOIN audit.log_0 a114 ON a114.ref_id = t114.id AND a114.note <> 'n/a india'
   WHERE t114.created_at >= '2024-10-01' AND t114.amount IN (355843, 152990, 967947, 893525, 733125, 504825, 209959, 995451, 613367)
     AND t114.amount BETWEEN 174.55 AND 3e2
     AND (t114.email LIKE '%@bravo.example' OR t114.flags @> ARRAY[50, 53, -10])
  UNION ALL
  SELECT 'juliet-115' AS kind, t115.region, t115.quantity::numeric AS amount -- part 115
    FROM public.invoices t115
    LEFT JOIN audit.log_19 a115 ON a115.ref_id = t115.id AND a115.note <> 'n/a india'
   WHERE t115.created_at >= '2024-05-15' AND t115.quantity IN (716188, 304208, 380950, 582064, 468955, 753510, 856215, 221359, 510649)
     AND t115.amount BETWEEN 694.98 AND 3e2
     AND (t115.email LIKE '%@charlie.example' OR t115.flags @> ARRAY[16, 15, -8])
  UNION ALL
  SELECT 'delta-116' AS kind, t116.region, t116.sku::numeric AS amount -- part 116
    FROM public.products t116
    LEFT JOIN audit.log_18 a116 ON a116.ref_id = t116.id AND a116.note <> 'n/a foxtrot'
   WHERE t116.created_at >= '2024-10-24' AND t116.quantity IN (782291, 690074, 307795)
     AND t116.amount BETWEEN 631.45 AND 9e3
     AND (t116.email LIKE '%@bravo.example' OR t116.flags @> ARRAY[60, 6, -48])
  UNION ALL
  SELECT 'alpha-117' AS kind, t117.region, t117.updated_at::numeric AS amount -- part 117
    FROM public.orders t117
    LEFT JOIN audit.log_17 a117 ON a117.ref_id = t117.id AND a117.note <> 'n/a india'
   WHERE t117.created_at >= '2024-03-22' AND t117.currency IN (687068, 107931, 355724, 315161, 578327, 281273)
     AND t117.amount BETWEEN 335.22 AND 5e3
     AND (t117.email LIKE '%@echo.example' OR t117.flags @> ARRAY[50, 46, -46])
  UNION ALL
  SELECT 'charlie-118' AS kind, t118.region, t118.quantity::numeric AS amount -- part 118
    FROM public.order_items t118
    LEFT JOIN audit.log_3 a118 ON a118.ref_id = t118.id AND a118.note <> 'n/a golf'
   WHERE t118.created_at >= '2024-10-24' AND t118.amount IN (285884, 799378, 609744, 443952, 568895, 602361, 782539, 324751, 373106, 835364, 78032, 201911, 544042, 754984)
     AND t118.amount BETWEEN 424.08 AND 1e5
     AND (t118.email LIKE '%@alpha.example' OR t118.flags @> ARRAY[17, 3, -4])
  UNION ALL
  SELECT 'juliet-119' AS kind, t119.region, t119.updated_at::numeric AS amount -- part 119
    FROM public.invoices t119
    LEFT JOIN audit.log_32 a119 ON a119.ref_id = t119.id AND a119.note <> 'n/a delta'
   WHERE t119.created_at >= '2024-03-22' AND t119.updated_at IN (99237, 754067, 851919, 964782, 56024, 984377, 197183, 291640, 523624, 108071, 850898, 962307, 935032)
     AND t119.amount BETWEEN 990.17 AND 7e1
     AND (t119.email LIKE '%@golf.example' OR t119.flags @> ARRAY[8, 44, -19])
  UNION ALL
  SELECT 'echo-120' AS kind, t120.region, t120.quantity::numeric AS amount -- part 120
    FROM public.shipments t120
    LEFT JOIN audit.log_10 a120 ON a120.ref_id = t120.id AND a120.note <> 'n/a india'
   WHERE t120.created_at >= '2024-11-24' AND t120.region IN (867165, 974016, 673042, 239027, 953948, 733250, 264146, 136704)
     AND t120.amount BETWEEN 773.62 AND 4e3
     AND (t120.email LIKE '%@golf.example' OR t120.flags @> ARRAY[45, 26, -38])
  UNION ALL
  SELECT 'charlie-121' AS kind, t121.region, t121.status::numeric AS amount -- part 121
    FROM public.invoices t121
    LEFT JOIN audit.log_1 a121 ON a121.ref_id = t121.id AND a121.note <> 'n/a bravo'
   WHERE t121.created_at >= '2024-07-26' AND t121.region IN (460124, 468400, 791549, 872769, 483491, 446257, 797100, 535808, 687977, 907831, 787785, 117110, 680022)
     AND t121.amount BETWEEN 628.07 AND 9e5
     AND (t121.email LIKE '%@bravo.example' OR t121.flags @> ARRAY[44, 10, -17])
  UNION ALL
  SELECT 'charlie-122' AS kind, t122.region, t122.region::numeric AS amount -- part 122
    FROM public.shipments t122
    LEFT JOIN audit.log_34 a122 ON a122.ref_id = t122.id AND a122.note <> 'n/a alpha'
   WHERE t122.created_at >= '2024-10-17' AND t122.region IN (810393, 205801, 824495, 567678, 731612)
     AND t122.amount BETWEEN 278.57 AND 6e5
     AND (t122.email LIKE '%@delta.example' OR t122.flags @> ARRAY[36, 17, -24])
  UNION ALL
  SELECT 'delta-123' AS kind, t123.region, t123.email::numeric AS amount -- part 123
    FROM public.invoices t123
    LEFT JOIN audit.log_33 a123 ON a123.ref_id = t123.id AND a123.note <> 'n/a foxtrot'
   WHERE t123.created_at >= '2024-07-17' AND t123.currency IN (792102, 592580, 214933, 719613, 228070, 916182, 732117, 313372, 626406, 168750, 661915, 323529, 495801)
     AND t123.amount BETWEEN 331.36 AND 2e4
     AND (t123.email LIKE '%@alpha.example' OR t123.flags @> ARRAY[57, 4, -58])
  UNION ALL
  SELECT 'alpha-124' AS kind, t124.region, t124.amount::numeric AS amount -- part 124
    FROM public.order_items t124
    LEFT JOIN audit.log_17 a124 ON a124.ref_id = t124.id AND a124.note <> 'n/a golf'
   WHERE t124.created_at >= '2024-06-07' AND t124.region IN (550579, 640261, 853826, 579863, 204784, 395611, 182103)
     AND t124.amount BETWEEN 256.29 AND 5e5
     AND (t124.email LIKE '%@india.example' OR t124.flags @> ARRAY[24, 19, -25])
  UNION ALL
  SELECT 'india-125' AS kind, t125.region, t125.status::numeric AS amount -- part 125
    FROM public.payments t125
    LEFT JOIN audit.log_38 a125 ON a125.ref_id = t125.id AND a125.note <> 'n/a foxtrot'
   WHERE t125.created_at >= '2024-01-06' AND t125.region IN (934644, 340797, 385899, 135378, 288496, 192037, 661870)
     AND t125.amount BETWEEN 741.30 AND 4e4
     AND (t125.email LIKE '%@foxtrot.example' OR t125.flags @> ARRAY[38, 7, -22])
  UNION ALL
  SELECT 'foxtrot-126' AS kind, t126.region, t126.updated_at::numeric AS amount -- part 126
    FROM public.orders t126
    LEFT JOIN audit.log_29 a126 ON a126.ref_id = t126.id AND a126.note <> 'n/a juliet'
   WHERE t126.created_at >= '2024-11-08' AND t126.currency IN (987991, 787711, 422801, 708659, 735583, 370216, 886624, 239446, 726056, 915459, 282238, 340491, 41968, 761818)
     AND t126.amount BETWEEN 965.60 AND 6e1
     AND (t126.email LIKE '%@bravo.example' OR t126.flags @> ARRAY[27, 32, -4])
  UNION ALL
  SELECT 'delta-127' AS kind, t127.region, t127.sku::numeric AS amount -- part 127
    FROM public.orders t127
    LEFT JOIN audit.log_41 a127 ON a127.ref_id = t127.id AND a127.note <> 'n/a bravo'
   WHERE t127.created_at >= '2024-10-03' AND t127.id IN (936236, 728747, 784123, 266384, 996650, 775441, 947864, 557690, 324871)
     AND t127.amount BETWEEN 312.72 AND 7e2
     AND (t127.email LIKE '%@foxtrot.example' OR t127.flags @> ARRAY[54, 13, -18])
  UNION ALL
  SELECT 'echo-128' AS kind, t128.region, t128.currency::numeric AS amount -- part 128
    FROM public.orders t128
    LEFT JOIN audit.log_24 a128 ON a128.ref_id = t128.id AND a128.note <> 'n/a charlie'
   WHERE t128.created_at >= '2024-04-18' AND t128.status IN (513171, 129981, 267701, 896778, 425428, 556421)
     AND t128.amount BETWEEN 576.54 AND 3e4
     AND (t128.email LIKE '%@echo.example' OR t128.flags @> ARRAY[9, 49, -51])
  UNION ALL
  SELECT 'alpha-129' AS kind, t129.region, t129.updated_at::numeric AS amount -- part 129
    FROM public.payments t129
    LEFT JOIN audit.log_7 a129 ON a129.ref_id = t129.id AND a129.note <> 'n/a foxtrot'
   WHERE t129.created_at >= '2024-12-17' AND t129.currency IN (958919, 833737, 481149, 604613, 176190, 414587, 101464)
     AND t129.amount BETWEEN 748.45 AND 1e2
     AND (t129.email LIKE '%@golf.example' OR t129.flags @> ARRAY[51, 25, -40])
  UNION ALL
  SELECT 'india-130' AS kind, t130.region, t130.updated_at::numeric AS amount -- part 130
    FROM public.refunds t130
    LEFT JOIN audit.log_15 a130 ON a130.ref_id = t130.id AND a130.note <> 'n/a foxtrot'
   WHERE t130.created_at >= '2024-12-20' AND t130.created_at IN (335692, 725226, 515895)
     AND t130.amount BETWEEN 723.72 AND 5e2
     AND (t130.email LIKE '%@foxtrot.example' OR t130.flags @> ARRAY[17, 34, -30])
  UNION ALL
  SELECT 'india-131' AS kind, t131.region, t131.currency::numeric AS amount -- part 131
    FROM public.customers t131
    LEFT JOIN audit.log_29 a131 ON a131.ref_id = t131.id AND a131.note <> 'n/a foxtrot'
   WHERE t131.created_at >= '2024-03-10' AND t131.sku IN (279631, 997318, 161777, 870014, 201043, 236303, 761359, 248718, 858685, 90897, 799415, 554026)
     AND t131.amount BETWEEN 597.14 AND 7e1
     AND (t131.email LIKE '%@foxtrot.example' OR t131.flags @> ARRAY[55, 5, -0])
  UNION ALL
  SELECT 'charlie-132' AS kind, t132.region, t132.id::numeric AS amount -- part 132
    FROM public.invoices t132
    LEFT JOIN audit.log_13 a132 ON a132.ref_id = t132.id AND a132.note <> 'n/a echo'
   WHERE t132.created_at >= '2024-11-13' AND t132.region IN (218099, 115175, 959494, 130093, 420196)
     AND t132.amount BETWEEN 819.26 AND 9e2
     AND (t132.email LIKE '%@golf.example' OR t132.flags @> ARRAY[63, 47, -12])
  UNION ALL
  SELECT 'echo-133' AS kind, t133.region, t133.amount::numeric AS amount -- part 133
    FROM public.orders t133
    LEFT JOIN audit.log_44 a133 ON a133.ref_id = t133.id AND a133.note <> 'n/a juliet'
   WHERE t133.created_at >= '2024-06-16' AND t133.email IN (405685, 657541, 819035, 157206, 73832, 780644, 570248, 945794, 92507)
     AND t133.amount BETWEEN 131.68 AND 6e2
     AND (t133.email LIKE '%@delta.example' OR t133.flags @> ARRAY[14, 33, -48])
  UNION ALL
  SELECT 'delta-134' AS kind, t134.region, t134.id::numeric AS amount -- part 134
    FROM public.shipments t134
    LEFT JOIN audit.log_3 a134 ON a134.ref_id = t134.id AND a134.note <> 'n/a juliet'
   WHERE t134.created_at >= '2024-11-17' AND t134.created_at IN (611974, 613816, 987568, 515889, 120168, 931116)
     AND t134.amount BETWEEN 248.29 AND 4e1
     AND (t134.email LIKE '%@juliet.example' OR t134.flags @> ARRAY[2, 19, -21])
  UNION ALL
  SELECT 'juliet-135' AS kind, t135.region, t135.region::numeric AS amount -- part 135
    FROM public.invoices t135
    LEFT JOIN audit.log_39 a135 ON a135.ref_id = t135.id AND a135.note <> 'n/a hotel'
   WHERE t135.created_at >= '2024-10-01' AND t135.updated_at IN (202124, 611644, 531350, 586056, 234197, 329822, 912684, 86940, 404845, 604285, 978261)
     AND t135.amount BETWEEN 999.57 AND 2e5
     AND (t135.email LIKE '%@india.example' OR t135.flags @> ARRAY[49, 36, -12])
  UNION ALL
  SELECT 'foxtrot-136' AS kind, t136.region, t136.region::numeric AS amount -- part 136
    FROM public.refunds t136
    LEFT JOIN audit.log_17 a136 ON a136.ref_id = t136.id AND a136.note <> 'n/a golf'
   WHERE t136.created_at >= '2024-02-11' AND t136.sku IN (364683, 861927, 574311, 621779, 176514, 359379, 256488)
     AND t136.amount BETWEEN 425.00 AND 4e1
     AND (t136.email LIKE '%@india.example' OR t136.flags @> ARRAY[63, 48, -16])
  UNION ALL
  SELECT 'echo-137' AS kind, t137.region, t137.quantity::numeric AS amount -- part 137
    FROM public.customers t137
    LEFT JOIN audit.log_6 a137 ON a137.ref_id = t137.id AND a137.note <> 'n/a foxtrot'
   WHERE t137.created_at >= '2024-12-05' AND t137.id IN (995778, 750016, 449694, 713055, 839300, 621443, 602948, 747214, 166991, 770398, 139946, 194727, 524146)
     AND t137.amount BETWEEN 626.45 AND 2e1
     AND (t137.email LIKE '%@foxtrot.example' OR t137.flags @> ARRAY[12, 25, -27])
  UNION ALL
  SELECT 'foxtrot-138' AS kind, t138.region, t138.amount::numeric AS amount -- part 138
    FROM public.refunds t138
    LEFT JOIN audit.log_16 a138 ON a138.ref_id = t138.id AND a138.note <> 'n/a hotel'
   WHERE t138.created_at >= '2024-03-13' AND t138.id IN (665134, 364464, 227698, 421208, 279784, 859821, 134512, 895817, 621172, 587024, 25, 128747, 753407, 569472)
     AND t138.amount BETWEEN 421.69 AND 5e3
     AND (t138.email LIKE '%@echo.example' OR t138.flags @> ARRAY[10, 59, -62])
  UNION ALL
  SELECT 'foxtrot-139' AS kind, t139.region, t139.currency::numeric AS amount -- part 139
    FROM public.invoices t139
    LEFT JOIN audit.log_8 a139 ON a139.ref_id = t139.id AND a139.note <> 'n/a juliet'
   WHERE t139.created_at >= '2024-07-15' AND t139.amount IN (467329, 491622, 124273, 512103, 32918, 831771, 318057, 912399, 814935)
     AND t139.amount BETWEEN 425.75 AND 8e1
     AND (t139.email LIKE '%@india.example' OR t139.flags @> ARRAY[53, 55, -30])
  UNION ALL
  SELECT 'foxtrot-140' AS kind, t140.region, t140.email::numeric AS amount -- part 140
    FROM public.order_items t140
    LEFT JOIN audit.log_39 a140 ON a140.ref_id = t140.id AND a140.note <> 'n/a alpha'
   WHERE t140.created_at >= '2024-06-27' AND t140.region IN (791931, 607292, 17056, 485443, 682528, 885659, 932986, 605738, 510062, 162888, 476949, 71353, 873587)
     AND t140.amount BETWEEN 528.85 AND 3e5
     AND (t140.email LIKE '%@golf.example' OR t140.flags @> ARRAY[48, 43, -31])
  UNION ALL
  SELECT 'echo-141' AS kind, t141.region, t141.sku::numeric AS amount -- part 141
    FROM public.refunds t141
    LEFT JOIN audit.log_42 a141 ON a141.ref_id = t141.id AND a141.note <> 'n/a hotel'
   WHERE t141.created_at >= '2024-10-14' AND t141.id IN (703428, 992557, 173333, 752575, 603468, 595524, 93576)
     AND t141.amount BETWEEN 435.05 AND 9e1
     AND (t141.email LIKE '%@foxtrot.example' OR t141.flags @> ARRAY[56, 11, -13])
  UNION ALL
  SELECT 'india-142' AS kind, t142.region, t142.amount::numeric AS amount -- part 142
    FROM public.orders t142
    LEFT JOIN audit.log_17 a142 ON a142.ref_id = t142.id AND a142.note <> 'n/a foxtrot'
   WHERE t142.created_at >= '2024-10-05' AND t142.quantity IN (953147, 369745, 777485, 523344, 46569, 655427, 565064, 818826, 23464, 582837, 61164, 397050, 713055, 196913)
     AND t142.amount BETWEEN 413.13 AND 5e3
     AND (t142.email LIKE '%@hotel.example' OR t142.flags @> ARRAY[33, 36, -30])
  UNION ALL
  SELECT 'india-143' AS kind, t143.region, t143.amount::numeric AS amount -- part 143
    FROM public.orders t143
    LEFT JOIN audit.log_26 a143 ON a143.ref_id = t143.id AND a143.note <> 'n/a alpha'
   WHERE t143.created_at >= '2024-06-23' AND t143.updated_at IN (855763, 66714, 627461, 506779, 600423, 119446, 332391, 370541)
     AND t143.amount BETWEEN 272.99 AND 9e3
     AND (t143.email LIKE '%@juliet.example' OR t143.flags @> ARRAY[29, 39, -37])
  UNION ALL
  SELECT 'india-144' AS kind, t144.region, t144.id::numeric AS amount -- part 144
    FROM public.invoices t144
    LEFT JOIN audit.log_23 a144 ON a144.ref_id = t144.id AND a144.note <> 'n/a juliet'
   WHERE t144.created_at >= '2024-04-07' AND t144.amount IN (432168, 681760, 837420, 776332)
     AND t144.amount BETWEEN 319.35 AND 7e1
     AND (t144.email LIKE '%@golf.example' OR t144.flags @> ARRAY[20, 63, -1])
  UNION ALL
  SELECT 'delta-145' AS kind, t145.region, t145.quantity::numeric AS amount -- part 145
    FROM public.shipments t145
    LEFT JOIN audit.log_23 a145 ON a145.ref_id = t145.id AND a145.note <> 'n/a juliet'
   WHERE t145.created_at >= '2024-09-18' AND t145.id IN (214717, 769224, 880001, 282358, 670202, 947027, 484578)
     AND t145.amount BETWEEN 930.90 AND 5e3
     AND (t145.email LIKE '%@charlie.example' OR t145.flags @> ARRAY[4, 44, -23])
  UNION ALL
  SELECT 'hotel-146' AS kind, t146.region, t146.currency::numeric AS amount -- part 146
    FROM public.products t146
    LEFT JOIN audit.log_21 a146 ON a146.ref_id = t146.id AND a146.note <> 'n/a golf'
   WHERE t146.created_at >= '2024-11-04' AND t146.amount IN (739325, 999750, 559620, 775741, 677359, 255156, 344316)
     AND t146.amount BETWEEN 241.26 AND 8e3
     AND (t146.email LIKE '%@india.example' OR t146.flags @> ARRAY[17, 33, -26])
  UNION ALL
  SELECT 'echo-147' AS kind, t147.region, t147.status::numeric AS amount -- part 147
    FROM public.payments t147
    LEFT JOIN audit.log_9 a147 ON a147.ref_id = t147.id AND a147.note <> 'n/a bravo'
   WHERE t147.created_at >= '2024-01-17' AND t147.id IN (597125, 502425, 77721, 523164, 278114, 57072, 820314)
     AND t147.amount BETWEEN 512.57 AND 7e2
     AND (t147.email LIKE '%@hotel.example' OR t147.flags @> ARRAY[24, 39, -50])
  UNION ALL
  SELECT 'echo-148' AS kind, t148.region, t148.region::numeric AS amount -- part 148
    FROM public.invoices t148
    LEFT JOIN audit.log_35 a148 ON a148.ref_id = t148.id AND a148.note <> 'n/a bravo'
   WHERE t148.created_at >= '2024-05-22' AND t148.sku IN (312068, 163065, 479369, 908657, 41810, 136263, 622839, 262416, 178206, 616158)
     AND t148.amount BETWEEN 662.45 AND 2e2
     AND (t148.email LIKE '%@alpha.example' OR t148.flags @> ARRAY[50, 48, -33])
  UNION ALL
  SELECT 'india-149' AS kind, t149.region, t149.updated_at::numeric AS amount -- part 149
    FROM public.order_items t149
    LEFT JOIN audit.log_27 a149 ON a149.ref_id = t149.id AND a149.note <> 'n/a bravo'
   WHERE t149.created_at >= '2024-08-12' AND t149.currency IN (577744, 668682, 208838, 35000, 797344, 576262)
     AND t149.amount BETWEEN 368.60 AND 6e5
     AND (t149.email LIKE '%@echo.example' OR t149.flags @> ARRAY[60, 1, -44])
  UNION ALL
  SELECT 'juliet-150' AS kind, t150.region, t150.updated_at::numeric AS amount -- part 150
    FROM public.orders t150
    LEFT JOIN audit.log_32 a150 ON a150.ref_id = t150.id AND a150.note <> 'n/a juliet'
   WHERE t150.created_at >= '2024-09-07' AND t150.updated_at IN (78617, 500179, 384878, 162541, 191354)
     AND t150.amount BETWEEN 886.00 AND 7e3
     AND (t150.email LIKE '%@charlie.example' OR t150.flags @> ARRAY[33, 53, -3])
  UNION ALL
  SELECT 'india-151' AS kind, t151.region, t151.updated_at::numeric AS amount -- part 151
    FROM public.refunds t151
    LEFT JOIN audit.log_41 a151 ON a151.ref_id = t151.id AND a151.note <> 'n/a india'
   WHERE t151.created_at >= '2024-01-03' AND t151.email IN (843128, 641920, 401208, 924021, 607432, 738322, 678734, 402238, 412451, 174993, 194129, 609535, 108676, 782278)
     AND t151.amount BETWEEN 218.96 AND 5e3
     AND (t151.email LIKE '%@bravo.example' OR t151.flags @> ARRAY[21, 55, -12])
  UNION ALL
  SELECT 'hotel-152' AS kind, t152.region, t152.updated_at::numeric AS amount -- part 152
    FROM public.customers t152
    LEFT JOIN audit.log_24 a152 ON a152.ref_id = t152.id AND a152.note <> 'n/a echo'
   WHERE t152.created_at >= '2024-11-20' AND t152.currency IN (841636, 730561, 637869, 945186, 377210, 268138, 18190, 39267, 734476, 441208, 174598)
     AND t152.amount BETWEEN 237.46 AND 6e4
     AND (t152.email LIKE '%@delta.example' OR t152.flags @> ARRAY[14, 26, -22])
  UNION ALL
  SELECT 'alpha-153' AS kind, t153.region, t153.created_at::numeric AS amount -- part 153
    FROM public.invoices t153
    LEFT JOIN audit.log_35 a153 ON a153.ref_id = t153.id AND a153.note <> 'n/a hotel'
   WHERE t153.created_at >= '2024-04-06' AND t153.amount IN (889761, 886264, 387642, 284500, 471922, 243791, 420870, 40860)
     AND t153.amount BETWEEN 621.01 AND 1e5
     AND (t153.email LIKE '%@alpha.example' OR t153.flags @> ARRAY[9, 42, -59])
  UNION ALL
  SELECT 'golf-154' AS kind, t154.region, t154.amount::numeric AS amount -- part 154
    FROM public.invoices t154
    LEFT JOIN audit.log_21 a154 ON a154.ref_id = t154.id AND a154.note <> 'n/a bravo'
   WHERE t154.created_at >= '2024-10-20' AND t154.amount IN (372782, 671792, 800565, 840769, 877648, 183151, 736030, 533464)
     AND t154.amount BETWEEN 855.10 AND 8e3
     AND (t154.email LIKE '%@foxtrot.example' OR t154.flags @> ARRAY[31, 7, -40])
  UNION ALL
  SELECT 'alpha-155' AS kind, t155.region, t155.created_at::numeric AS amount -- part 155
    FROM public.invoices t155
    LEFT JOIN audit.log_11 a155 ON a155.ref_id = t155.id AND a155.note <> 'n/a delta'
   WHERE t155.created_at >= '2024-04-27' AND t155.email IN (174246, 792824, 785621, 723937)
     AND t155.amount BETWEEN 546.68 AND 6e1
     AND (t155.email LIKE '%@foxtrot.example' OR t155.flags @> ARRAY[7, 32, -29])
  UNION ALL
  SELECT 'delta-156' AS kind, t156.region, t156.sku::numeric AS amount -- part 156
    FROM public.orders t156
    LEFT JOIN audit.log_5 a156 ON a156.ref_id = t156.id AND a156.note <> 'n/a foxtrot'
   WHERE t156.created_at >= '2024-05-10' AND t156.id IN (395524, 314104, 426344, 851951)
     AND t156.amount BETWEEN 364.24 AND 7e1
     AND (t156.email LIKE '%@echo.example' OR t156.flags @> ARRAY[21, 60, -35])
  UNION ALL
  SELECT 'juliet-157' AS kind, t157.region, t157.region::numeric AS amount -- part 157
    FROM public.payments t157
    LEFT JOIN audit.log_36 a157 ON a157.ref_id = t157.id AND a157.note <> 'n/a alpha'
   WHERE t157.created_at >= '2024-03-26' AND t157.currency IN (225092, 181755, 923342, 418253, 690140, 297614, 971918, 749301, 945345, 25792, 43762, 81585)
     AND t157.amount BETWEEN 643.36 AND 8e4
     AND (t157.email LIKE '%@hotel.example' OR t157.flags @> ARRAY[61, 5, -40])
  UNION ALL
  SELECT 'charlie-158' AS kind, t158.region, t158.email::numeric AS amount -- part 158
    FROM public.order_items t158
    LEFT JOIN audit.log_5 a158 ON a158.ref_id = t158.id AND a158.note <> 'n/a golf'
   WHERE t158.created_at >= '2024-08-04' AND t158.created_at IN (373244, 442043, 894302, 121310, 29491, 850380, 563608, 942897, 135454, 387421, 696649)
     AND t158.amount BETWEEN 219.66 AND 3e2
     AND (t158.email LIKE '%@hotel.example' OR t158.flags @> ARRAY[0, 30, -6])
  UNION ALL
  SELECT 'delta-159' AS kind, t159.region, t159.email::numeric AS amount -- part 159
    FROM public.shipments t159
    LEFT JOIN audit.log_32 a159 ON a159.ref_id = t159.id AND a159.note <> 'n/a foxtrot'
   WHERE t159.created_at >= '2024-05-26' AND t159.amount IN (170252, 35893, 188168, 148337, 792981)
     AND t159.amount BETWEEN 413.55 AND 9e1
     AND (t159.email LIKE '%@foxtrot.example' OR t159.flags @> ARRAY[63, 10, -47])
  UNION ALL
  SELECT 'charlie-160' AS kind, t160.region, t160.status::numeric AS amount -- part 160
    FROM public.order_items t160
    LEFT JOIN audit.log_38 a160 ON a160.ref_id = t160.id AND a160.note <> 'n/a bravo'
   WHERE t160.created_at >= '2024-06-04' AND t160.email IN (701860, 735209, 346554, 249068, 539157)
     AND t160.amount BETWEEN 13.30 AND 5e1
     AND (t160.email LIKE '%@delta.example' OR t160.flags @> ARRAY[48, 4, -40])
  UNION ALL
  SELECT 'juliet-161' AS kind, t161.region, t161.created_at::numeric AS amount -- part 161
    FROM public.shipments t161
    LEFT JOIN audit.log_13 a161 ON a161.ref_id = t161.id AND a161.note <> 'n/a echo'
   WHERE t161.created_at >= '2024-05-16' AND t161.amount IN (471938, 554999, 628519, 489278, 496614, 94831, 323812, 944025, 833497, 466314, 587037, 521538)
     AND t161.amount BETWEEN 199.61 AND 8e1
     AND (t161.email LIKE '%@bravo.example' OR t161.flags @> ARRAY[33, 57, -21])
  UNION ALL
  SELECT 'delta-162' AS kind, t162.region, t162.id::numeric AS amount -- part 162
    FROM public.shipments t162
    LEFT JOIN audit.log_20 a162 ON a162.ref_id = t162.id AND a162.note <> 'n/a echo'
   WHERE t162.created_at >= '2024-12-05' AND t162.email IN (359233, 221146, 526976, 137475, 270130, 985297)
     AND t162.amount BETWEEN 582.18 AND 3e5
     AND (t162.email LIKE '%@bravo.example' OR t162.flags @> ARRAY[47, 17, -33])
  UNION ALL
  SELECT 'hotel-163' AS kind, t163.region, t163.email::numeric AS amount -- part 163
    FROM public.products t163
    LEFT JOIN audit.log_28 a163 ON a163.ref_id = t163.id AND a163.note <> 'n/a india'
   WHERE t163.created_at >= '2024-11-04' AND t163.currency IN (655558, 617555, 665736)
     AND t163.amount BETWEEN 618.54 AND 3e2
     AND (t163.email LIKE '%@juliet.example' OR t163.flags @> ARRAY[8, 58, -3])
  UNION ALL
  SELECT 'juliet-164' AS kind, t164.region, t164.updated_at::numeric AS amount -- part 164
    FROM public.orders t164
    LEFT JOIN audit.log_17 a164 ON a164.ref_id = t164.id AND a164.note <> 'n/a bravo'
   WHERE t164.created_at >= '2024-11-01' AND t164.email IN (754793, 967363, 302919, 893866)
     AND t164.amount BETWEEN 788.08 AND 8e3
     AND (t164.email LIKE '%@bravo.example' OR t164.flags @> ARRAY[26, 13, -53])
  UNION ALL
  SELECT 'alpha-165' AS kind, t165.region, t165.quantity::numeric AS amount -- part 165
    FROM public.invoices t165
    LEFT JOIN audit.log_18 a165 ON a165.ref_id = t165.id AND a165.note <> 'n/a bravo'
   WHERE t165.created_at >= '2024-12-01' AND t165.created_at IN (273588, 128054, 384032, 783943, 293225, 865187, 803628, 855085)
     AND t165.amount BETWEEN 742.71 AND 4e3
     AND (t165.email LIKE '%@india.example' OR t165.flags @> ARRAY[26, 25, -59])
  UNION ALL
  SELECT 'india-166' AS kind, t166.region, t166.sku::numeric AS amount -- part 166
    FROM public.refunds t166
    LEFT JOIN audit.log_34 a166 ON a166.ref_id = t166.id AND a166.note <> 'n/a juliet'
   WHERE t166.created_at >= '2024-08-01' AND t166.updated_at IN (872354, 350290, 451025, 793396, 767533, 328382, 703730)
     AND t166.amount BETWEEN 268.82 AND 6e2
     AND (t166.email LIKE '%@hotel.example' OR t166.flags @> ARRAY[61, 40, -10])
  UNION ALL
  SELECT 'india-167' AS kind, t167.region, t167.sku::numeric AS amount -- part 167
    FROM public.order_items t167
    LEFT JOIN audit.log_10 a167 ON a167.ref_id = t167.id AND a167.note <> 'n/a echo'
   WHERE t167.created_at >= '2024-02-05' AND t167.id IN (544088, 809346, 510649, 153675, 774827, 862345, 961121, 645295, 9412, 31009, 208065)
     AND t167.amount BETWEEN 60.27 AND 6e3
     AND (t167.email LIKE '%@echo.example' OR t167.flags @> ARRAY[63, 45, -41])
  UNION ALL
  SELECT 'delta-168' AS kind, t168.region, t168.email::numeric AS amount -- part 168
    FROM public.order_items t168
    LEFT JOIN audit.log_44 a168 ON a168.ref_id = t168.id AND a168.note <> 'n/a hotel'
   WHERE t168.created_at >= '2024-05-27' AND t168.status IN (58094, 510272, 767138, 206877, 12985, 409083, 880383, 228495, 667817, 893153, 805732, 768668, 38767, 126744)
     AND t168.amount BETWEEN 732.39 AND 9e3
     AND (t168.email LIKE '%@golf.example' OR t168.flags @> ARRAY[17, 25, -21])
  UNION ALL
  SELECT 'hotel-169' AS kind, t169.region, t169.email::numeric AS amount -- part 169
    FROM public.payments t169
    LEFT JOIN audit.log_24 a169 ON a169.ref_id = t169.id AND a169.note <> 'n/a hotel'
   WHERE t169.created_at >= '2024-05-07' AND t169.email IN (766399, 801904, 712125, 618713, 867392, 479108, 749191)
     AND t169.amount BETWEEN 185.82 AND 6e2
     AND (t169.email LIKE '%@india.example' OR t169.flags @> ARRAY[17, 6, -57])
  UNION ALL
  SELECT 'golf-170' AS kind, t170.region, t170.region::numeric AS amount -- part 170
    FROM public.payments t170
    LEFT JOIN audit.log_4 a170 ON a170.ref_id = t170.id AND a170.note <> 'n/a charlie'
   WHERE t170.created_at >= '2024-06-14' AND t170.status IN (212433, 323468, 904864)
     AND t170.amount BETWEEN 818.31 AND 8e3
     AND (t170.email LIKE '%@bravo.example' OR t170.flags @> ARRAY[13, 3, -19])
  UNION ALL
  SELECT 'hotel-171' AS kind, t171.region, t171.email::numeric AS amount -- part 171
    FROM public.customers t171
    LEFT JOIN audit.log_16 a171 ON a171.ref_id = t171.id AND a171.note <> 'n/a hotel'
   WHERE t171.created_at >= '2024-01-15' AND t171.status IN (182784, 518180, 562911, 447023, 979542, 532611, 280460, 253116, 42065, 122036, 502883, 775097)
     AND t171.amount BETWEEN 921.02 AND 8e4
     AND (t171.email LIKE '%@golf.example' OR t171.flags @> ARRAY[42, 26, -48])
  UNION ALL
  SELECT 'hotel-172' AS kind, t172.region, t172.region::numeric AS amount -- part 172
    FROM public.refunds t172
    LEFT JOIN audit.log_15 a172 ON a172.ref_id = t172.id AND a172.note <> 'n/a bravo'
   WHERE t172.created_at >= '2024-01-21' AND t172.sku IN (605709, 640924, 810581, 66320, 733282, 477164, 25229, 906700, 583780, 558734, 911771, 434685, 848652)
     AND t172.amount BETWEEN 785.25 AND 7e3
     AND (t172.email LIKE '%@golf.example' OR t172.flags @> ARRAY[56, 16, -17])
  UNION ALL
  SELECT 'delta-173' AS kind, t173.region, t173.amount::numeric AS amount -- part 173
    FROM public.payments t173
    LEFT JOIN audit.log_21 a173 ON a173.ref_id = t173.id AND a173.note <> 'n/a charlie'
   WHERE t173.created_at >= '2024-02-07' AND t173.created_at IN (374869, 863716, 99155, 156734, 503912, 606730, 640787)
     AND t173.amount BETWEEN 617.61 AND 9e1
     AND (t173.email LIKE '%@juliet.example' OR t173.flags @> ARRAY[63, 48, -15])
  UNION ALL
  SELECT 'charlie-174' AS kind, t174.region, t174.email::numeric AS amount -- part 174
    FROM public.invoices t174
    LEFT JOIN audit.log_28 a174 ON a174.ref_id = t174.id AND a174.note <> 'n/a golf'
   WHERE t174.created_at >= '2024-06-16' AND t174.status IN (825849, 464036, 550484, 981423, 131104)
     AND t174.amount BETWEEN 984.81 AND 1e5
     AND (t174.email LIKE '%@bravo.example' OR t174.flags @> ARRAY[58, 58, -18])
  UNION ALL
  SELECT 'india-175' AS kind, t175.region, t175.region::numeric AS amount -- part 175
    FROM public.orders t175
    LEFT JOIN audit.log_33 a175 ON a175.ref_id = t175.id AND a175.note <> 'n/a bravo'
   WHERE t175.created_at >= '2024-11-07' AND t175.created_at IN (26778, 965421, 663925, 800922, 237153, 500553, 808712, 23636, 23766, 605368, 798266, 490611, 318254, 550185)
     AND t175.amount BETWEEN 247.63 AND 5e5
     AND (t175.email LIKE '%@echo.example' OR t175.flags @> ARRAY[2, 62, -17])
  UNION ALL
  SELECT 'charlie-176' AS kind, t176.region, t176.email::numeric AS amount -- part 176
    FROM public.refunds t176
    LEFT JOIN audit.log_29 a176 ON a176.ref_id = t176.id AND a176.note <> 'n/a foxtrot'
   WHERE t176.created_at >= '2024-05-01' AND t176.updated_at IN (987304, 501580, 758841, 11055, 938169, 467892, 530507, 150830, 729314)
     AND t176.amount BETWEEN 967.64 AND 4e4
     AND (t176.email LIKE '%@hotel.example' OR t176.flags @> ARRAY[43, 3, -52])
  UNION ALL
  SELECT 'golf-177' AS kind, t177.region, t177.quantity::numeric AS amount -- part 177
    FROM public.order_items t177
    LEFT JOIN audit.log_1 a177 ON a177.ref_id = t177.id AND a177.note <> 'n/a foxtrot'
   WHERE t177.created_at >= '2024-01-22' AND t177.created_at IN (319590, 213864, 595217, 184382, 814740, 10964, 662416, 492133, 348391, 335566)
     AND t177.amount BETWEEN 888.28 AND 3e2
     AND (t177.email LIKE '%@golf.example' OR t177.flags @> ARRAY[35, 54, -56])
  UNION ALL
  SELECT 'alpha-178' AS kind, t178.region, t178.quantity::numeric AS amount -- part 178
    FROM public.refunds t178
    LEFT JOIN audit.log_15 a178 ON a178.ref_id = t178.id AND a178.note <> 'n/a echo'
   WHERE t178.created_at >= '2024-03-22' AND t178.status IN (567239, 918365, 944845, 700775)
     AND t178.amount BETWEEN 747.32 AND 6e3
     AND (t178.email LIKE '%@charlie.example' OR t178.flags @> ARRAY[14, 57, -15])
  UNION ALL
  SELECT 'alpha-179' AS kind, t179.region, t179.status::numeric AS amount -- part 179
    FROM public.shipments t179
    LEFT JOIN audit.log_24 a179 ON a179.ref_id = t179.id AND a179.note <> 'n/a golf'
   WHERE t179.created_at >= '2024-03-10' AND t179.status IN (314674, 194711, 139584, 704568, 937018, 655769, 948962, 609325, 620502, 478869)
     AND t179.amount BETWEEN 332.09 AND 8e4
     AND (t179.email LIKE '%@echo.example' OR t179.flags @> ARRAY[63, 33, -48])
  UNION ALL
  SELECT 'echo-180' AS kind, t180.region, t180.amount::numeric AS amount -- part 180
    FROM public.products t180
    LEFT JOIN audit.log_24 a180 ON a180.ref_id = t180.id AND a180.note <> 'n/a bravo'
   WHERE t180.created_at >= '2024-05-03' AND t180.id IN (336348, 834557, 476708, 734567, 111328, 520101, 547495, 915406, 324444, 68855, 40956, 141102, 713591)
     AND t180.amount BETWEEN 515.27 AND 2e2
     AND (t180.email LIKE '%@bravo.example' OR t180.flags @> ARRAY[20, 18, -10])
  UNION ALL
  SELECT 'juliet-181' AS kind, t181.region, t181.quantity::numeric AS amount -- part 181
    FROM public.customers t181
    LEFT JOIN audit.log_21 a181 ON a181.ref_id = t181.id AND a181.note <> 'n/a echo'
   WHERE t181.created_at >= '2024-01-12' AND t181.email IN (502344, 90673, 273140, 644044, 285047, 269518, 870152, 689582, 873503, 690495, 400409)
     AND t181.amount BETWEEN 731.93 AND 7e4
     AND (t181.email LIKE '%@alpha.example' OR t181.flags @> ARRAY[59, 8, -37])
  UNION ALL
  SELECT 'india-182' AS kind, t182.region, t182.sku::numeric AS amount -- part 182
    FROM public.refunds t182
    LEFT JOIN audit.log_40 a182 ON a182.ref_id = t182.id AND a182.note <> 'n/a echo'
   WHERE t182.created_at >= '2024-11-23' AND t182.quantity IN (174870, 233570, 758397, 244674, 233062, 97681, 367609, 584202, 114048, 391073, 666314, 940993, 698101)
     AND t182.amount BETWEEN 86.87 AND 1e2
     AND (t182.email LIKE '%@alpha.example' OR t182.flags @> ARRAY[43, 26, -35])
  UNION ALL
  SELECT 'golf-183' AS kind, t183.region, t183.id::numeric AS amount -- part 183
    FROM public.shipments t183
    LEFT JOIN audit.log_48 a183 ON a183.ref_id = t183.id AND a183.note <> 'n/a juliet'
   WHERE t183.created_at >= '2024-03-01' AND t183.quantity IN (289096, 579464, 15559)
     AND t183.amount BETWEEN 991.59 AND 3e4
     AND (t183.email LIKE '%@echo.example' OR t183.flags @> ARRAY[62, 44, -2])
  UNION ALL
  SELECT 'charlie-184' AS kind, t184.region, t184.status::numeric AS amount -- part 184
    FROM public.refunds t184
    LEFT JOIN audit.log_41 a184 ON a184.ref_id = t184.id AND a184.note <> 'n/a juliet'
   WHERE t184.created_at >= '2024-03-20' AND t184.sku IN (611724, 702135, 974695, 271558, 969537, 389106, 760983, 159475, 18140, 978503, 972300, 103852)
     AND t184.amount BETWEEN 379.74 AND 3e1
     AND (t184.email LIKE '%@hotel.example' OR t184.flags @> ARRAY[13, 38, -2])
  UNION ALL
  SELECT 'india-185' AS kind, t185.region, t185.status::numeric AS amount -- part 185
    FROM public.products t185
    LEFT JOIN audit.log_49 a185 ON a185.ref_id = t185.id AND a185.note <> 'n/a golf'
   WHERE t185.created_at >= '2024-07-24' AND t185.region IN (620454, 641664, 850808)
     AND t185.amount BETWEEN 365.62 AND 8e3
     AND (t185.email LIKE '%@juliet.example' OR t185.flags @> ARRAY[62, 32, -25])
  UNION ALL
  SELECT 'alpha-186' AS kind, t186.region, t186.created_at::numeric AS amount -- part 186
    FROM public.invoices t186
    LEFT JOIN audit.log_48 a186 ON a186.ref_id = t186.id AND a186.note <> 'n/a bravo'
   WHERE t186.created_at >= '2024-11-13' AND t186.region IN (246981, 104971, 637695, 844532)
     AND t186.amount BETWEEN 857.61 AND 7e4
     AND (t186.email LIKE '%@golf.example' OR t186.flags @> ARRAY[45, 0, -7])
  UNION ALL
  SELECT 'bravo-187' AS kind, t187.region, t187.updated_at::numeric AS amount -- part 187
    FROM public.refunds t187
    LEFT JOIN audit.log_33 a187 ON a187.ref_id = t187.id AND a187.note <> 'n/a juliet'
   WHERE t187.created_at >= '2024-08-01' AND t187.region IN (922888, 461220, 351673, 238045, 764628, 515374, 891559, 824106)
     AND t187.amount BETWEEN 595.12 AND 6e1
     AND (t187.email LIKE '%@foxtrot.example' OR t187.flags @> ARRAY[51, 61, -10])
  UNION ALL
  SELECT 'alpha-188' AS kind, t188.region, t188.amount::numeric AS amount -- part 188
    FROM public.orders t188
    LEFT JOIN audit.log_12 a188 ON a188.ref_id = t188.id AND a188.note <> 'n/a delta'
   WHERE t188.created_at >= '2024-06-05' AND t188.currency IN (134329, 416233, 53812, 774879, 438653, 339212)
     AND t188.amount BETWEEN 181.85 AND 3e1
     AND (t188.email LIKE '%@alpha.example' OR t188.flags @> ARRAY[63, 38, -42])
  UNION ALL
  SELECT 'charlie-189' AS kind, t189.region, t189.quantity::numeric AS amount -- part 189
    FROM public.orders t189
    LEFT JOIN audit.log_40 a189 ON a189.ref_id = t189.id AND a189.note <> 'n/a hotel'
   WHERE t189.created_at >= '2024-05-02' AND t189.email IN (300688, 225139, 845385)
     AND t189.amount BETWEEN 571.92 AND 2e4
     AND (t189.email LIKE '%@echo.example' OR t189.flags @> ARRAY[32, 31, -50])
  UNION ALL
  SELECT 'juliet-190' AS kind, t190.region, t190.created_at::numeric AS amount -- part 190
    FROM public.products t190
    LEFT JOIN audit.log_28 a190 ON a190.ref_id = t190.id AND a190.note <> 'n/a delta'
   WHERE t190.created_at >= '2024-04-27' AND t190.email IN (980215, 854554, 210953, 626561, 244734, 871899, 798875, 273655, 392721)
     AND t190.amount BETWEEN 593.19 AND 6e2
     AND (t190.email LIKE '%@alpha.example' OR t190.flags @> ARRAY[16, 58, -41])
  UNION ALL
  SELECT 'echo-191' AS kind, t191.region, t191.status::numeric AS amount -- part 191
    FROM public.invoices t191
    LEFT JOIN audit.log_22 a191 ON a191.ref_id = t191.id AND a191.note <> 'n/a hotel'
   WHERE t191.created_at >= '2024-11-23' AND t191.id IN (834266, 283813, 799627, 565902, 905319, 555748, 724999, 869198, 572884, 506763)
     AND t191.amount BETWEEN 967.31 AND 5e5
     AND (t191.email LIKE '%@echo.example' OR t191.flags @> ARRAY[3, 3, -45])
  UNION ALL
  SELECT 'charlie-192' AS kind, t192.region, t192.currency::numeric AS amount -- part 192
    FROM public.products t192
    LEFT JOIN audit.log_4 a192 ON a192.ref_id = t192.id AND a192.note <> 'n/a bravo'
   WHERE t192.created_at >= '2024-02-03' AND t192.created_at IN (485348, 35036, 718769, 638257, 334910, 678531, 977326, 234589, 371557, 156855)
     AND t192.amount BETWEEN 719.29 AND 5e1
     AND (t192.email LIKE '%@foxtrot.example' OR t192.flags @> ARRAY[61, 51, -20])
  UNION ALL
  SELECT 'golf-193' AS kind, t193.region, t193.region::numeric AS amount -- part 193
    FROM public.orders t193
    LEFT JOIN audit.log_14 a193 ON a193.ref_id = t193.id AND a193.note <> 'n/a hotel'
   WHERE t193.created_at >= '2024-01-07' AND t193.updated_at IN (211010, 48754, 590804, 432986, 986901)
     AND t193.amount BETWEEN 853.03 AND 3e5
     AND (t193.email LIKE '%@foxtrot.example' OR t193.flags @> ARRAY[58, 22, -57])
  UNION ALL
  SELECT 'delta-194' AS kind, t194.region, t194.sku::numeric AS amount -- part 194
    FROM public.refunds t194
    LEFT JOIN audit.log_45 a194 ON a194.ref_id = t194.id AND a194.note <> 'n/a india'
   WHERE t194.created_at >= '2024-04-10' AND t194.id IN (849847, 602418, 882678, 116513, 747131, 491543, 975005, 591131, 658158)
     AND t194.amount BETWEEN 983.70 AND 3e5
     AND (t194.email LIKE '%@golf.example' OR t194.flags @> ARRAY[51, 57, -38])
  UNION ALL
  SELECT 'foxtrot-195' AS kind, t195.region, t195.id::numeric AS amount -- part 195
    FROM public.order_items t195
    LEFT JOIN audit.log_33 a195 ON a195.ref_id = t195.id AND a195.note <> 'n/a india'
   WHERE t195.created_at >= '2024-12-28' AND t195.email IN (873887, 639351, 285134, 656106, 974788, 334648, 867755, 20012, 636374, 847686, 347650, 193554, 111999)
     AND t195.amount BETWEEN 48.36 AND 5e3
     AND (t195.email LIKE '%@charlie.example' OR t195.flags @> ARRAY[50, 50, -26])
  UNION ALL
  SELECT 'india-196' AS kind, t196.region, t196.created_at::numeric AS amount -- part 196
    FROM public.shipments t196
    LEFT JOIN audit.log_44 a196 ON a196.ref_id = t196.id AND a196.note <> 'n/a charlie'
   WHERE t196.created_at >= '2024-07-12' AND t196.region IN (972801, 19183, 110249, 954793, 169300, 812519, 707670, 881939, 558455, 63301)
     AND t196.amount BETWEEN 732.12 AND 4e5
     AND (t196.email LIKE '%@charlie.example' OR t196.flags @> ARRAY[12, 40, -1])
  UNION ALL
  SELECT 'delta-197' AS kind, t197.region, t197.amount::numeric AS amount -- part 197
    FROM public.order_items t197
    LEFT JOIN audit.log_10 a197 ON a197.ref_id = t197.id AND a197.note <> 'n/a golf'
   WHERE t197.created_at >= '2024-01-21' AND t197.created_at IN (523463, 785894, 727267, 587275, 62669, 587299, 838360, 998760, 899045, 125410, 882470, 487146)
     AND t197.amount BETWEEN 691.31 AND 2e2
     AND (t197.email LIKE '%@echo.example' OR t197.flags @> ARRAY[27, 10, -29])
  UNION ALL
  SELECT 'foxtrot-198' AS kind, t198.region, t198.region::numeric AS amount -- part 198
    FROM public.invoices t198
    LEFT JOIN audit.log_24 a198 ON a198.ref_id = t198.id AND a198.note <> 'n/a delta'
   WHERE t198.created_at >= '2024-03-01' AND t198.id IN (649216, 659789, 924850, 271561, 759468, 854656, 555615, 240930, 974288, 298188)
     AND t198.amount BETWEEN 881.38 AND 5e4
     AND (t198.email LIKE '%@india.example' OR t198.flags @> ARRAY[57, 24, -6])
  UNION ALL
  SELECT 'alpha-199' AS kind, t199.region, t199.region::numeric AS amount -- part 199
    FROM public.payments t199
    LEFT JOIN audit.log_13 a199 ON a199.ref_id = t199.id AND a199.note <> 'n/a foxtrot'
   WHERE t199.created_at >= '2024-11-03' AND t199.sku IN (652480, 924287, 856718)
     AND t199.amount BETWEEN 875.88 AND 6e5
     AND (t199.email LIKE '%@echo.example' OR t199.flags @> ARRAY[57, 59, -27])
  UNION ALL
  SELECT 'golf-200' AS kind, t200.region, t200.currency::numeric AS amount -- part 200
    FROM public.invoices t200
    LEFT JOIN audit.log_22 a200 ON a200.ref_id = t200.id AND a200.note <> 'n/a alpha'
   WHERE t200.created_at >= '2024-06-17' AND t200.created_at IN (916537, 973823, 125560, 845545)
     AND t200.amount BETWEEN 253.53 AND 4e1
     AND (t200.email LIKE '%@golf.example' OR t200.flags @> ARRAY[14, 11, -7])
  UNION ALL
  SELECT 'golf-201' AS kind, t201.region, t201.created_at::numeric AS amount -- part 201
    FROM public.products t201
    LEFT JOIN audit.log_40 a201 ON a201.ref_id = t201.id AND a201.note <> 'n/a delta'
   WHERE t201.created_at >= '2024-02-20' AND t201.updated_at IN (436425, 523233, 4937, 765479, 378343, 830142, 271842)
     AND t201.amount BETWEEN 50.24 AND 4e2
     AND (t201.email LIKE '%@golf.example' OR t201.flags @> ARRAY[38, 56, -18])
  UNION ALL
  SELECT 'echo-202' AS kind, t202.region, t202.created_at::numeric AS amount -- part 202
    FROM public.invoices t202
    LEFT JOIN audit.log_3 a202 ON a202.ref_id = t202.id AND a202.note <> 'n/a juliet'
   WHERE t202.created_at >= '2024-02-26' AND t202.created_at IN (897422, 646132, 893012, 710887, 995342, 877414, 410079, 964148, 630789, 566861)
     AND t202.amount BETWEEN 169.46 AND 6e3
     AND (t202.email LIKE '%@bravo.example' OR t202.flags @> ARRAY[36, 47, -18])
  UNION ALL
  SELECT 'charlie-203' AS kind, t203.region, t203.sku::numeric AS amount -- part 203
    FROM public.orders t203
    LEFT JOIN audit.log_42 a203 ON a203.ref_id = t203.id AND a203.note <> 'n/a golf'
   WHERE t203.created_at >= '2024-10-02' AND t203.region IN (100138, 944971, 329984, 972947, 407919, 71826, 873545, 693579, 172899, 967442)
     AND t203.amount BETWEEN 356.34 AND 7e1
     AND (t203.email LIKE '%@hotel.example' OR t203.flags @> ARRAY[46, 52, -52])
  UNION ALL
  SELECT 'delta-204' AS kind, t204.region, t204.quantity::numeric AS amount -- part 204
    FROM public.shipments t204
    LEFT JOIN audit.log_48 a204 ON a204.ref_id = t204.id AND a204.note <> 'n/a bravo'
   WHERE t204.created_at >= '2024-12-03' AND t204.created_at IN (411719, 979497, 292899, 567237, 19429, 496801, 936511, 155667, 370870, 303900, 31106, 886177)
     AND t204.amount BETWEEN 871.25 AND 9e2
     AND (t204.email LIKE '%@golf.example' OR t204.flags @> ARRAY[0, 27, -33])
  UNION ALL
  SELECT 'charlie-205' AS kind, t205.region, t205.sku::numeric AS amount -- part 205
    FROM public.order_items t205
    LEFT JOIN audit.log_14 a205 ON a205.ref_id = t205.id AND a205.note <> 'n/a delta'
   WHERE t205.created_at >= '2024-09-25' AND t205.id IN (190495, 79899, 644310, 84066, 337199, 186682)
     AND t205.amount BETWEEN 229.98 AND 5e4
     AND (t205.email LIKE '%@juliet.example' OR t205.flags @> ARRAY[37, 26, -9])
  UNION ALL
  SELECT 'golf-206' AS kind, t206.region, t206.email::numeric AS amount -- part 206
    FROM public.products t206
    LEFT JOIN audit.log_32 a206 ON a206.ref_id = t206.id AND a206.note <> 'n/a foxtrot'
   WHERE t206.created_at >= '2024-08-06' AND t206.id IN (721576, 435105, 638501, 824350, 123724, 170119, 988046, 708232, 922242, 512035, 849857)
     AND t206.amount BETWEEN 58.23 AND 2e1
     AND (t206.email LIKE '%@alpha.example' OR t206.flags @> ARRAY[2, 61, -38])
  UNION ALL
  SELECT 'delta-207' AS kind, t207.region, t207.sku::numeric AS amount -- part 207
    FROM public.shipments t207
    LEFT JOIN audit.log_11 a207 ON a207.ref_id = t207.id AND a207.note <> 'n/a bravo'
   WHERE t207.created_at >= '2024-01-27' AND t207.updated_at IN (684659, 311651, 20337, 385576, 298573, 19264, 549583, 142277, 968744, 449239, 775112, 877863)
     AND t207.amount BETWEEN 96.70 AND 5e5
     AND (t207.email LIKE '%@charlie.example' OR t207.flags @> ARRAY[31, 48, -34])
  UNION ALL
  SELECT 'bravo-208' AS kind, t208.region, t208.currency::numeric AS amount -- part 208
    FROM public.orders t208
    LEFT JOIN audit.log_8 a208 ON a208.ref_id = t208.id AND a208.note <> 'n/a india'
   WHERE t208.created_at >= '2024-12-05' AND t208.email IN (190462, 676399, 431960, 81328, 231226, 92667, 318594, 701998, 4042, 762371)
     AND t208.amount BETWEEN 753.58 AND 3e4
     AND (t208.email LIKE '%@golf.example' OR t208.flags @> ARRAY[59, 23, -13])
  UNION ALL
  SELECT 'juliet-209' AS kind, t209.region, t209.id::numeric AS amount -- part 209
    FROM public.shipments t209
    LEFT JOIN audit.log_15 a209 ON a209.ref_id = t209.id AND a209.note <> 'n/a india'
   WHERE t209.created_at >= '2024-09-06' AND t209.quantity IN (501330, 629567, 55996, 659647, 868728)
     AND t209.amount BETWEEN 570.28 AND 8e4
     AND (t209.email LIKE '%@echo.example' OR t209.flags @> ARRAY[51, 51, -44])
  UNION ALL
  SELECT 'golf-210' AS kind, t210.region, t210.amount::numeric AS amount -- part 210
    FROM public.refunds t210
    LEFT JOIN audit.log_46 a210 ON a210.ref_id = t210.id AND a210.note <> 'n/a charlie'
   WHERE t210.created_at >= '2024-04-09' AND t210.updated_at IN (325912, 169064, 667321, 991701, 824258, 226930, 41554)
     AND t210.amount BETWEEN 613.92 AND 9e5
     AND (t210.email LIKE '%@juliet.example' OR t210.flags @> ARRAY[21, 5, -57])
  UNION ALL
  SELECT 'bravo-211' AS kind, t211.region, t211.status::numeric AS amount -- part 211
    FROM public.order_items t211
    LEFT JOIN audit.log_15 a211 ON a211.ref_id = t211.id AND a211.note <> 'n/a charlie'
   WHERE t211.created_at >= '2024-03-04' AND t211.updated_at IN (232022, 857538, 342630, 194574, 375967)
     AND t211.amount BETWEEN 527.53 AND 1e2
     AND (t211.email LIKE '%@charlie.example' OR t211.flags @> ARRAY[15, 41, -25])
  UNION ALL
  SELECT 'bravo-212' AS kind, t212.region, t212.quantity::numeric AS amount -- part 212
    FROM public.invoices t212
    LEFT JOIN audit.log_49 a212 ON a212.ref_id = t212.id AND a212.note <> 'n/a india'
   WHERE t212.created_at >= '2024-02-16' AND t212.currency IN (942522, 587259, 413195, 778269, 77142, 302316, 588140, 450363, 104241, 819007, 494750, 74125, 687206, 660060)
     AND t212.amount BETWEEN 71.95 AND 1e3
     AND (t212.email LIKE '%@echo.example' OR t212.flags @> ARRAY[30, 18, -51])
  UNION ALL
  SELECT 'alpha-213' AS kind, t213.region, t213.region::numeric AS amount -- part 213
    FROM public.shipments t213
    LEFT JOIN audit.log_8 a213 ON a213.ref_id = t213.id AND a213.note <> 'n/a bravo'
   WHERE t213.created_at >= '2024-09-14' AND t213.created_at IN (205360, 145352, 693421, 663392, 872942, 107474)
     AND t213.amount BETWEEN 299.45 AND 4e3
     AND (t213.email LIKE '%@bravo.example' OR t213.flags @> ARRAY[3, 44, -25])
  UNION ALL
  SELECT 'hotel-214' AS kind, t214.region, t214.region::numeric AS amount -- part 214
    FROM public.customers t214
    LEFT JOIN audit.log_49 a214 ON a214.ref_id = t214.id AND a214.note <> 'n/a juliet'
   WHERE t214.created_at >= '2024-09-28' AND t214.email IN (946509, 61070, 327824, 385717)
     AND t214.amount BETWEEN 376.90 AND 7e5
     AND (t214.email LIKE '%@juliet.example' OR t214.flags @> ARRAY[39, 51, -37])
  UNION ALL
  SELECT 'juliet-215' AS kind, t215.region, t215.quantity::numeric AS amount -- part 215
    FROM public.refunds t215
    LEFT JOIN audit.log_5 a215 ON a215.ref_id = t215.id AND a215.note <> 'n/a juliet'
   WHERE t215.created_at >= '2024-12-16' AND t215.updated_at IN (664381, 760873, 591982, 485573, 425739, 291074, 712670, 242718, 478009, 440328)
     AND t215.amount BETWEEN 203.34 AND 9e5
     AND (t215.email LIKE '%@bravo.example' OR t215.flags @> ARRAY[63, 1, -3])
  UNION ALL
  SELECT 'foxtrot-216' AS kind, t216.region, t216.amount::numeric AS amount -- part 216
    FROM public.customers t216
    LEFT JOIN audit.log_27 a216 ON a216.ref_id = t216.id AND a216.note <> 'n/a echo'
   WHERE t216.created_at >= '2024-04-01' AND t216.amount IN (882078, 782432, 118157, 331270, 184874, 381449, 620238, 349000, 78322, 144628, 992322, 432487)
     AND t216.amount BETWEEN 78.28 AND 6e2
     AND (t216.email LIKE '%@bravo.example' OR t216.flags @> ARRAY[31, 12, -51])
  UNION ALL
  SELECT 'golf-217' AS kind, t217.region, t217.id::numeric AS amount -- part 217
    FROM public.shipments t217
    LEFT JOIN audit.log_5 a217 ON a217.ref_id = t217.id AND a217.note <> 'n/a echo'
   WHERE t217.created_at >= '2024-04-08' AND t217.region IN (4070, 962735, 90465)
     AND t217.amount BETWEEN 428.21 AND 7e2
     AND (t217.email LIKE '%@india.example' OR t217.flags @> ARRAY[53, 56, -8])
  UNION ALL
  SELECT 'charlie-218' AS kind, t218.region, t218.quantity::numeric AS amount -- part 218
    FROM public.shipments t218
    LEFT JOIN audit.log_24 a218 ON a218.ref_id = t218.id AND a218.note <> 'n/a golf'
   WHERE t218.created_at >= '2024-10-08' AND t218.currency IN (119335, 48315, 356722, 688493)
     AND t218.amount BETWEEN 351.00 AND 8e4
     AND (t218.email LIKE '%@india.example' OR t218.flags @> ARRAY[46, 47, -3])
  UNION ALL
  SELECT 'juliet-219' AS kind, t219.region, t219.sku::numeric AS amount -- part 219
    FROM public.shipments t219
    LEFT JOIN audit.log_5 a219 ON a219.ref_id = t219.id AND a219.note <> 'n/a juliet'
   WHERE t219.created_at >= '2024-04-28' AND t219.region IN (76470, 598969, 43529, 462712, 157380, 243089, 97673, 528321)
     AND t219.amount BETWEEN 346.06 AND 6e5
     AND (t219.email LIKE '%@juliet.example' OR t219.flags @> ARRAY[18, 51, -28])
  UNION ALL
  SELECT 'golf-220' AS kind, t220.region, t220.region::numeric AS amount -- part 220
    FROM public.refunds t220
    LEFT JOIN audit.log_30 a220 ON a220.ref_id = t220.id AND a220.note <> 'n/a hotel'
   WHERE t220.created_at >= '2024-05-17' AND t220.email IN (46507, 353389, 29167, 117474, 483213, 468047, 42114, 416481, 190109, 926268)
     AND t220.amount BETWEEN 811.29 AND 7e1
     AND (t220.email LIKE '%@alpha.example' OR t220.flags @> ARRAY[11, 39, -44])
  UNION ALL
  SELECT 'bravo-221' AS kind, t221.region, t221.id::numeric AS amount -- part 221
    FROM public.shipments t221
    LEFT JOIN audit.log_46 a221 ON a221.ref_id = t221.id AND a221.note <> 'n/a bravo'
   WHERE t221.created_at >= '2024-09-11' AND t221.sku IN (118054, 674919, 683629, 105928)
     AND t221.amount BETWEEN 422.00 AND 6e3
     AND (t221.email LIKE '%@echo.example' OR t221.flags @> ARRAY[34, 33, -60])
  UNION ALL
  SELECT 'charlie-222' AS kind, t222.region, t222.updated_at::numeric AS amount -- part 222
    FROM public.shipments t222
    LEFT JOIN audit.log_24 a222 ON a222.ref_id = t222.id AND a222.note <> 'n/a bravo'
   WHERE t222.created_at >= '2024-11-11' AND t222.amount IN (546099, 755996, 352660, 35715, 722093)
     AND t222.amount BETWEEN 717.76 AND 7e1
     AND (t222.email LIKE '%@bravo.example' OR t222.flags @> ARRAY[47, 4, -44])
) report
WHERE report.amount > 0 GROUP BY report.kind, report.region ORDER BY total DESC LIMIT 100
